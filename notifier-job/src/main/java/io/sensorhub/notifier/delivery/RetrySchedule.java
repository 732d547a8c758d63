package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: the configured delays, each with ±jitter, and
 * nothing after the last.
 */
public final class RetrySchedule {

    private final List<Duration> delays;

    private final double jitter;

    private final RandomGenerator random;

    public RetrySchedule(List<Duration> delays, double jitter, RandomGenerator random) {
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * The delay before the next attempt after {@code failures} failed attempts in a row
     * (1 for the first failure), or empty when the schedule is exhausted and the delivery
     * is dead.
     */
    public Optional<Duration> delayAfter(int failures) {
        if (failures < 1 || failures > this.delays.size()) {
            return Optional.empty();
        }
        Duration base = this.delays.get(failures - 1);
        double factor = 1 + this.jitter * (2 * this.random.nextDouble() - 1);
        return Optional.of(Duration.ofNanos(Math.round(base.toNanos() * factor)));
    }

    /** How many retries follow the first attempt. */
    public int retries() {
        return this.delays.size();
    }

}
