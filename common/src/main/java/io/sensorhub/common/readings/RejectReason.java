package io.sensorhub.common.readings;

/**
 * Why a message or a reading was dead-lettered; {@link #code()} starts the
 * {@value ReadingTopology#ERROR_HEADER} header.
 */
public enum RejectReason {

    /** The message is larger than the limit; it is not parsed. */
    TOO_LARGE("too-large"),
    /**
     * The body is not valid UTF-8 JSON, or breaks a JSON limit (nesting depth, string or
     * number length).
     */
    MALFORMED_JSON("malformed-json"),
    /**
     * The body is neither an object nor an array of 1 to the maximum number of objects.
     */
    INVALID_BODY("invalid-body"),
    /** An array element is not an object. */
    NOT_AN_OBJECT("not-an-object"),
    /**
     * {@code sensorId} is missing, not a string, or does not match
     * {@link ReadingParser#SENSOR_ID_PATTERN}.
     */
    INVALID_SENSOR_ID("invalid-sensor-id"),
    /** {@code timestamp} is missing or not RFC 3339 with an offset. */
    INVALID_TIMESTAMP("invalid-timestamp"),
    /** {@code timestamp} is further ahead of the server clock than allowed. */
    TIMESTAMP_IN_FUTURE("timestamp-in-future"),
    /** {@code timestamp} is older than the retention. */
    TIMESTAMP_TOO_OLD("timestamp-too-old"),
    /** {@code value} is not a finite number, or missing without a {@code status}. */
    INVALID_VALUE("invalid-value"),
    /** {@code status} is not one a device may report. */
    INVALID_STATUS("invalid-status"),
    /** No sensor with this id is registered. */
    UNKNOWN_SENSOR("unknown-sensor"),
    /**
     * Processing failed again and again for a reason that is not an outage (a poison
     * message).
     */
    PROCESSING_FAILED("processing-failed");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The stable, machine-readable code, also the metric tag. */
    public String code() {
        return this.code;
    }

}
