package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header of a 429 or 503: seconds or an HTTP date, honoured up to
 * one hour.
 */
public final class RetryAfter {

    /** The longest Retry-After honoured. */
    public static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    /**
     * The wait a response asks for, capped at {@link #MAX}; empty if it asks for none or
     * is not a 429/503.
     */
    public static Optional<Duration> of(int statusCode, String header, Instant now) {
        if ((statusCode != 429 && statusCode != 503) || header == null || header.isBlank()) {
            return Optional.empty();
        }
        return parse(header.trim(), now).map(wait -> wait.isNegative() ? Duration.ZERO : wait)
            .map(wait -> (wait.compareTo(MAX) > 0) ? MAX : wait);
    }

    private static Optional<Duration> parse(String value, Instant now) {
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            }
            catch (NumberFormatException ex) {
                return Optional.of(MAX);
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(Duration.between(now, at));
        }
        catch (DateTimeParseException ex) {
            return Optional.empty();
        }
    }

}
