package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one attempt came to, as recorded in {@code webhook_delivery_attempts}.
 *
 * @param at when the attempt started
 * @param statusCode the response's status, null when none came (timeout, refused, SSRF guard)
 * @param latencyMs how long the attempt took
 * @param error why it failed, null on success
 * @param retryAfter the wait a 429/503 asked for, null if none
 */
public record AttemptResult(Instant at, Integer statusCode, int latencyMs, String error, Duration retryAfter) {

    static AttemptResult response(Instant at, int statusCode, int latencyMs, Duration retryAfter) {
        String error = (statusCode >= 200 && statusCode < 300) ? null : describe(statusCode);
        return new AttemptResult(at, statusCode, latencyMs, error, retryAfter);
    }

    static AttemptResult failure(Instant at, int latencyMs, String error) {
        return new AttemptResult(at, null, latencyMs, error, null);
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
