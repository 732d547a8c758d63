package io.sensorhub.crud.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.Timestamps;

/**
 * The buckets of an aggregate: a width from {@link #WIDTHS}, aligned to UTC (every width
 * divides a day, so a bucket starts at a multiple of its width since midnight UTC, as
 * PostgreSQL's {@code date_bin} from {@code 2000-01-01 00:00:00+00} puts it), and a range
 * spanning at most {@link #MAX} of them.
 *
 * @param width how long each bucket is
 * @param range the readings aggregated, {@code [from, to)}
 */
record Buckets(Duration width, TimeRange range) {

    static final int MAX = 2000;

    static final Map<String, Duration> WIDTHS = Map.of("1m", Duration.ofMinutes(1), "5m", Duration.ofMinutes(5), "15m",
            Duration.ofMinutes(15), "1h", Duration.ofHours(1), "1d", Duration.ofDays(1));

    /**
     * The buckets asked for. Defaults: {@code to} the end of the bucket now is in (so the
     * current bucket counts whole, readings stamped a little ahead included);
     * {@code from} as far back as {@link #MAX} buckets reach.
     */
    static Buckets of(String interval, String from, String to, Instant now) {
        Duration width = (interval != null) ? WIDTHS.get(interval) : null;
        if (width == null) {
            throw new InvalidInputException("interval", "must be one of 1m, 5m, 15m, 1h, 1d");
        }
        Instant upper = (to != null) ? Timestamps.parse("to", to) : start(now, width).plus(width);
        Instant lower = (from != null) ? Timestamps.parse("from", from)
                : start(upper.minusNanos(1), width).minus(width.multipliedBy(MAX - 1));
        Buckets buckets = new Buckets(width, TimeRange.of(lower, upper));
        if (buckets.count() > MAX) {
            throw new InvalidInputException("interval", "gives " + buckets.count()
                    + " buckets from from to to, more than " + MAX + ": ask a wider interval or a shorter range");
        }
        return buckets;
    }

    /**
     * How many buckets the range touches, and so the most the query can return: from the
     * one {@code from} falls in (the first may be partial: buckets are aligned to their
     * width, not to {@code from}) to the one just before {@code to}.
     */
    long count() {
        Duration span = Duration.between(start(this.range.from(), this.width), this.range.to());
        long whole = span.dividedBy(this.width);
        return span.equals(this.width.multipliedBy(whole)) ? whole : whole + 1;
    }

    /** The start of the bucket {@code instant} falls in. */
    static Instant start(Instant instant, Duration width) {
        long seconds = width.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), seconds) * seconds);
    }

}
