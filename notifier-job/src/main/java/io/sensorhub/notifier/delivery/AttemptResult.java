package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one attempt came to, as recorded in {@code webhook_delivery_attempts}.
 *
 * @param at when the attempt started
 * @param statusCode the response's status, null when none came (timeout, refused, SSRF
 * guard)
 * @param latencyMs how long the attempt took
 * @param error why it failed, null on success: printable ASCII, at most
 * {@value #MAX_ERROR_LENGTH} characters
 * @param retryAfter the wait a 429/503 asked for, null if none
 * @param responseBody the beginning of the response's body as safe text
 * ({@link ResponseExcerpt}), null when no response came
 */
public record AttemptResult(Instant at, Integer statusCode, int latencyMs, String error, Duration retryAfter,
        String responseBody) {

    /** The longest error kept (and logged). */
    public static final int MAX_ERROR_LENGTH = 500;

    private static final String CUT = "...";

    static AttemptResult response(Instant at, int statusCode, int latencyMs, Duration retryAfter, String responseBody) {
        String error = (statusCode >= 200 && statusCode < 300) ? null : describe(statusCode);
        return new AttemptResult(at, statusCode, latencyMs, error, retryAfter, responseBody);
    }

    static AttemptResult failure(Instant at, int latencyMs, String error) {
        return new AttemptResult(at, null, latencyMs, printable(error), null, null);
    }

    /**
     * An error as it may be stored and logged. Errors quote what receivers sent (header
     * values, a status line), so every character but printable ASCII is escaped as
     * {@code \\uXXXX}: no control character, line break or terminal escape of a
     * receiver's reaches the database or a log line. Longer than
     * {@value #MAX_ERROR_LENGTH} characters, it is cut and ends in {@value #CUT}.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int cut = 0; // the last place, between two escapes, where the text can be cut
        for (int i = 0; i < text.length() && out.length() <= MAX_ERROR_LENGTH; i++) {
            if (out.length() <= MAX_ERROR_LENGTH - CUT.length()) {
                cut = out.length();
            }
            char c = text.charAt(i);
            out.append((c >= 0x20 && c <= 0x7e) ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return (out.length() <= MAX_ERROR_LENGTH) ? out.toString() : out.substring(0, cut) + CUT;
    }

    /** Any 2xx is success. */
    public boolean succeeded() {
        return this.statusCode != null && this.statusCode >= 200 && this.statusCode < 300;
    }

    /** 410 Gone: the receiver asks for the webhook to be disabled. */
    public boolean gone() {
        return this.statusCode != null && this.statusCode == 410;
    }

    private static String describe(int statusCode) {
        if (statusCode >= 300 && statusCode < 400) {
            return "HTTP " + statusCode + " (redirects are not followed)";
        }
        return "HTTP " + statusCode;
    }
}
