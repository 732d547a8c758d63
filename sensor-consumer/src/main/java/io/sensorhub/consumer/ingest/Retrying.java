package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How the ingest calls something that may fail: again after a pause, while the failure is
 * one to retry and attempts remain. The pause starts at the initial delay and doubles up
 * to the maximum; the failure that ends the retrying is thrown as it is. The one retry
 * loop of the ingest, for both of its uses ({@link IngestListener}): a transient failure
 * is retried for as long as the outage lasts, a message on its own a few times.
 * <p>
 * Not Spring's {@code RetryTemplate}: that keeps every failure of a call until the call
 * ends (as suppressed exceptions of the last), and a call here may be retried for hours.
 */
final class Retrying {

    /** Told of each failure that is retried, before the pause. */
    @FunctionalInterface
    interface Listener {

        /**
         * Attempt {@code attempt} (from 1) failed with {@code failure}; the next follows
         * in {@code delay}.
         */
        void retrying(int attempt, Duration delay, RuntimeException failure);

    }

    /** For {@link #Retrying}: no limit on the number of attempts. */
    static final int WITHOUT_END = Integer.MAX_VALUE;

    private final int maxAttempts;

    private final Duration initialDelay;

    private final Duration maxDelay;

    private final Predicate<RuntimeException> retryable;

    private final Listener listener;

    /**
     * @param maxAttempts the most calls, the first included ({@link #WITHOUT_END} for no
     * limit)
     * @param initialDelay the pause after the first failure
     * @param maxDelay the longest pause
     * @param retryable whether a failure is retried (asked only while attempts remain)
     * @param listener told of each retried failure
     */
    Retrying(int maxAttempts, Duration initialDelay, Duration maxDelay, Predicate<RuntimeException> retryable,
            Listener listener) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("At least one attempt: " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.retryable = retryable;
        this.listener = listener;
    }

    /**
     * The result of {@code work}, called until it succeeds, fails with a failure not to
     * retry, or has been called the most times; the last failure is then thrown.
     * @throws InterruptedException if interrupted during a pause (the interrupt flag is
     * then clear, as for any {@code InterruptedException})
     */
    <T> T call(Supplier<T> work) throws InterruptedException {
        Duration delay = this.initialDelay;
        for (int attempt = 1;; attempt++) {
            try {
                return work.get();
            }
            catch (RuntimeException ex) {
                if (attempt >= this.maxAttempts || !this.retryable.test(ex)) {
                    throw ex;
                }
                this.listener.retrying(attempt, delay, ex);
                Thread.sleep(delay.toMillis());
                delay = min(delay.multipliedBy(2), this.maxDelay);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

}
