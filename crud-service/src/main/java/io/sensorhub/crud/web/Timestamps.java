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
     * unencoded in a query string becomes. RFC 3339's years have four digits: a year
     * beyond them is refused here, before any arithmetic on it or PostgreSQL sees it.
     */
    public static Instant parse(String field, String text) {
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.parse(text.trim().replace(' ', '+'));
        }
        catch (DateTimeParseException ex) {
            throw invalid(field);
        }
        if (parsed.getYear() < 0 || parsed.getYear() > 9999) {
            throw invalid(field);
        }
        return parsed.toInstant();
    }

    private static InvalidInputException invalid(String field) {
        return new InvalidInputException(field, "must be an RFC 3339 timestamp with offset");
    }

}
