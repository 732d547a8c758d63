package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What follows an attempt: success, a retry at a time, or death; and whether the webhook
 * is to be disabled.
 */
public final class DeliveryPolicy {

    private final RetrySchedule schedule;

    public DeliveryPolicy(RetrySchedule schedule) {
        this.schedule = schedule;
    }

    /**
     * Judges an attempt that followed {@code failuresBefore} failed attempts since the
     * delivery was created or last made pending again.
     */
    public Verdict judge(AttemptResult result, int failuresBefore) {
        if (result.succeeded()) {
            return new Verdict(DeliveryState.SUCCEEDED, null, false);
        }
        Duration delay = this.schedule.delayAfter(failuresBefore + 1).orElse(null);
        if (delay == null) {
            return new Verdict(DeliveryState.DEAD, null, result.gone());
        }
        if (result.retryAfter() != null) {
            delay = result.retryAfter();
        }
        return new Verdict(DeliveryState.PENDING, result.at().plusMillis(result.latencyMs()).plus(delay),
                result.gone());
    }

    /** A delivery's state, as stored. */
    public enum DeliveryState {

        PENDING, SUCCEEDED, DEAD;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

    }

    /**
     * The outcome of an attempt.
     *
     * @param state the delivery's state after it
     * @param nextAttemptAt when to try again, if pending
     * @param disableWebhook whether the receiver asked (410) for the webhook to be
     * disabled
     */
    public record Verdict(DeliveryState state, Instant nextAttemptAt, boolean disableWebhook) {
    }

}
