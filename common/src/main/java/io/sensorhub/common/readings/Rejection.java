package io.sensorhub.common.readings;

/**
 * A message, or one element of an array, that cannot be accepted.
 *
 * @param reason why, as a code
 * @param detail a human-readable explanation
 * @param body the rejected JSON (the whole message, or the one array element), to dead-letter as is
 */
public record Rejection(RejectReason reason, String detail, byte[] body) {

    /** The value of the {@code x-sensorhub-error} header: the code, a colon, the explanation. */
    public String header() {
        return this.reason.code() + ": " + this.detail;
    }
}
