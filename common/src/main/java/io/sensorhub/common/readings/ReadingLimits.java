package io.sensorhub.common.readings;

/**
 * How large a reading message and the JSON in it may be: a message over
 * {@code maxMessageBytes} is rejected as {@link RejectReason#TOO_LARGE} unparsed; the
 * other limits are Jackson's {@code StreamReadConstraints}, which stop a parser early on
 * hostile JSON (a body breaking them is {@link RejectReason#MALFORMED_JSON}).
 *
 * @param maxMessageBytes the largest body parsed
 * @param maxDepth the deepest nesting of arrays and objects (a message of readings needs
 * 2)
 * @param maxStringLength the longest string value, and property name, in characters
 * @param maxNumberLength the longest number literal, in characters
 */
public record ReadingLimits(int maxMessageBytes, int maxDepth, int maxStringLength, int maxNumberLength) {

    /**
     * The defaults of {@code sensorhub.ingest.*}: 1 MiB, depth 32, strings of 64 Ki
     * characters, numbers of 100.
     */
    public static final ReadingLimits DEFAULTS = new ReadingLimits(1024 * 1024, 32, 64 * 1024, 100);

    public ReadingLimits {
        if (maxMessageBytes < 1 || maxDepth < 2 || maxStringLength < 64 || maxNumberLength < 32) {
            throw new IllegalArgumentException("reading limits too small: " + maxMessageBytes + " bytes, depth "
                    + maxDepth + ", strings " + maxStringLength + ", numbers " + maxNumberLength);
        }
    }
}
