package io.sensorhub.common.readings;

import io.sensorhub.common.logging.SafeText;

/**
 * A message, or one element of an array, that cannot be accepted.
 *
 * @param reason why, as a code
 * @param detail a human-readable explanation; values from the message in it are
 * {@link SafeText#quote quoted}
 * @param body the rejected JSON (the whole message, or the one array element), to
 * dead-letter as is
 */
public record Rejection(RejectReason reason, String detail, byte[] body) {

    /**
     * The most characters of {@link #header()} (docs/ingest.md: at most 1 KiB; the header
     * is ASCII, so characters are bytes). Far below the AMQP frame size, so a dead letter
     * can always be sent.
     */
    public static final int MAX_HEADER_LENGTH = 1024;

    /**
     * The value of the {@value ReadingTopology#ERROR_HEADER} header: the code, a colon,
     * the explanation, in printable ASCII and cut to {@value #MAX_HEADER_LENGTH}
     * characters.
     */
    public String header() {
        String code = this.reason.code() + ": ";
        return code + SafeText.printable(this.detail, MAX_HEADER_LENGTH - code.length());
    }
}
