package io.sensorhub.common.logging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/**
 * The correlation id: an HTTP request's {@code X-Request-Id}, or a reading's identity
 * ({@code sensorId@timestamp}) for what a reading causes. It lives in the SLF4J MDC under
 * {@value #MDC_KEY} (so it is in every log line, plain or structured) and in
 * {@code webhook_deliveries.correlation_id} for the deliveries it causes.
 */
public final class Correlation {

    /** The MDC key; {@code logging.pattern.correlation} of every service prints it. */
    public static final String MDC_KEY = "correlationId";

    /**
     * The {@code to_char} format that gives the timestamp part of {@link #ofReading} in
     * SQL.
     */
    public static final String SQL_TIMESTAMP_FORMAT = "YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"";

    private static final DateTimeFormatter READING_TIMESTAMP = DateTimeFormatter
        .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(ZoneOffset.UTC);

    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:@+\\-]{1,128}");

    private Correlation() {
    }

    /**
     * A client-supplied id if it is safe to log and store (bounded, no spaces or control
     * characters), else a new one.
     */
    public static String acceptOrCreate(String supplied) {
        return (supplied != null && ACCEPTABLE.matcher(supplied).matches()) ? supplied : UUID.randomUUID().toString();
    }

    /**
     * The correlation id of a reading and of everything it causes:
     * {@code sensorId@timestamp}, the timestamp in UTC with microseconds (PostgreSQL's
     * precision), so SQL builds the same id with {@value #SQL_TIMESTAMP_FORMAT}.
     */
    public static String ofReading(String sensorId, Instant timestamp) {
        // Rounded to microseconds as PostgreSQL stores it, so both sides name the reading
        // alike.
        return sensorId + "@" + READING_TIMESTAMP.format(timestamp.plusNanos(500).truncatedTo(ChronoUnit.MICROS));
    }

    /** The id in the MDC of this thread, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(MDC_KEY));
    }

    /** Puts {@code id} in the MDC until the returned scope is closed. */
    public static MDC.MDCCloseable open(String id) {
        return MDC.putCloseable(MDC_KEY, id);
    }

}
