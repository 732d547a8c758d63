package io.sensorhub.crud.history;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.sensorhub.crud.web.InvalidInputException;

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
        Instant upper = (to != null) ? parse("to", to) : now.plus(DEFAULT_AHEAD);
        Instant lower = (from != null) ? parse("from", from) : now.minus(retention);
        if (!lower.isBefore(upper)) {
            throw new InvalidInputException("from", "must be before to");
        }
        return new TimeRange(lower, upper);
    }

    /**
     * An RFC 3339 timestamp with offset. A space where the offset's {@code +} belongs is
     * read as {@code +}: it is what a {@code +} left unencoded in a query string becomes.
     */
    static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text.trim().replace(' ', '+')).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw new InvalidInputException(field, "must be an RFC 3339 timestamp with offset");
        }
    }
}
