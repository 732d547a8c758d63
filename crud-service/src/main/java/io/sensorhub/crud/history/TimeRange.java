package io.sensorhub.crud.history;

import java.time.Duration;
import java.time.Instant;

import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.Timestamps;

/**
 * A half-open time range {@code [from, to)} of history. Always bounded, so every query
 * names the day partitions it reads and PostgreSQL prunes the others.
 *
 * @param from inclusive lower bound
 * @param to exclusive upper bound
 */
record TimeRange(Instant from, Instant to) {

    /**
     * How far ahead of now the default upper bound lies: readings may be stamped a little
     * in the future.
     */
    static final Duration DEFAULT_AHEAD = Duration.ofDays(1);

    /**
     * The range asked for, defaulting to everything retained:
     * {@code [now - retention, now + 1 day)}.
     */
    static TimeRange of(String from, String to, Duration retention, Instant now) {
        Instant upper = (to != null) ? Timestamps.parse("to", to) : now.plus(DEFAULT_AHEAD);
        Instant lower = (from != null) ? Timestamps.parse("from", from) : now.minus(retention);
        return of(lower, upper);
    }

    /** The range {@code [from, to)}, else a 400 on {@code from}. */
    static TimeRange of(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new InvalidInputException("from", "must be before to");
        }
        return new TimeRange(from, to);
    }
}
