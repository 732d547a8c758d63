package io.sensorhub.crud.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Timestamps in query parameters ({@code from}, {@code to}): RFC 3339 with an offset. */
public final class Timestamps {

    private Timestamps() {
    }

    /**
     * An RFC 3339 timestamp with offset, else a 400 on {@code field}. A space where the
     * offset's {@code +} belongs is read as {@code +}: it is what a {@code +} left
     * unencoded in a query string becomes.
     */
    public static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text.trim().replace(' ', '+')).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw new InvalidInputException(field, "must be an RFC 3339 timestamp with offset");
        }
    }

}
