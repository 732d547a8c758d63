package io.sensorhub.crud.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.sensorhub.crud.history.HistoryDtos.AggregateResponse;
import io.sensorhub.crud.history.HistoryDtos.BucketResponse;
import io.sensorhub.crud.history.HistoryDtos.ReadingResponse;
import io.sensorhub.crud.history.HistoryDtos.StatusChangeResponse;
import io.sensorhub.crud.web.Cursors;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * History newest first, by keyset: readings by {@code ts} (primary key, scanned
 * backwards), status changes by {@code (changed_at, sequence)}. Every query is bounded on
 * the partition key by the requested range, and the cursor only narrows that range, so
 * PostgreSQL reads only the days in it.
 */
@Component
class HistoryQueries {

    private final JdbcClient jdbc;

    HistoryQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the sensor exists and belongs to this client. */
    boolean isOwnedBy(String sensorId, UUID clientId) {
        return this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM sensors WHERE id = ? AND client_id = ?)")
            .params(sensorId, clientId)
            .query(Boolean.class)
            .single();
    }

    Page<ReadingResponse> readings(String sensorId, TimeRange range, PageQuery page) {
        Instant upper = (page.after() != null) ? min(range.to(), fromMicros(page.after())) : range.to();
        List<ReadingResponse> rows = this.jdbc.sql("""
                SELECT ts, value, status, reported_status, received_at FROM readings
                WHERE sensor_id = :sensor AND ts >= :from AND ts < :to
                ORDER BY ts DESC LIMIT :limit""")
            .param("sensor", sensorId)
            .param("from", utc(range.from()))
            .param("to", utc(upper))
            .param("limit", page.fetchSize())
            .query(HistoryQueries::reading)
            .list();
        return Page.of(rows, page.limit(), reading -> micros(reading.timestamp()));
    }

    /**
     * A sensor's values in buckets aligned to UTC, whatever the session's time zone: a
     * {@code timestamptz} is binned on its absolute time, and {@code 1 day} counts as 24
     * hours. Bounded on {@code ts}, the partition key, so only the day partitions in
     * range are read, pruned at planning or, for a generic plan of the prepared
     * statement, at execution; each one by an index-only scan of the primary key, which
     * includes the value (V78). Readings without a value are left out.
     */
    static final String AGGREGATE_SQL = """
            SELECT date_bin(CAST(:width AS interval), ts, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS start,
                count(value) AS count, min(value) AS min, max(value) AS max, avg(value) AS avg
            FROM readings
            WHERE sensor_id = :sensor AND ts >= :from AND ts < :to AND value IS NOT NULL
            GROUP BY 1 ORDER BY 1""";

    AggregateResponse aggregate(String sensorId, Buckets buckets) {
        List<BucketResponse> rows = this.jdbc.sql(AGGREGATE_SQL)
            .param("width", buckets.width().toSeconds() + " seconds")
            .param("sensor", sensorId)
            .param("from", utc(buckets.range().from()))
            .param("to", utc(buckets.range().to()))
            .query((rs, row) -> new BucketResponse(instant(rs, "start"), rs.getLong("count"), rs.getDouble("min"),
                    rs.getDouble("max"), rs.getDouble("avg")))
            .list();
        return new AggregateResponse(rows);
    }

    Page<StatusChangeResponse> statusChanges(String sensorId, TimeRange range, PageQuery page) {
        ChangeKey after = (page.after() != null) ? ChangeKey.parse(page.after()) : null;
        String sql = """
                SELECT sequence, previous_status, status, value, reported_at, changed_at FROM status_changes
                WHERE sensor_id = :sensor AND changed_at >= :from AND changed_at < :to
                """ + ((after != null)
                ? " AND changed_at <= :afterAt AND (changed_at, sequence) < (:afterAt, :afterSeq)" : "")
                + " ORDER BY changed_at DESC, sequence DESC LIMIT :limit";
        JdbcClient.StatementSpec statement = this.jdbc.sql(sql)
            .param("sensor", sensorId)
            .param("from", utc(range.from()))
            .param("to", utc(range.to()))
            .param("limit", page.fetchSize());
        if (after != null) {
            statement = statement.param("afterAt", utc(after.changedAt())).param("afterSeq", after.sequence());
        }
        List<StatusChangeResponse> rows = statement.query(HistoryQueries::statusChange).list();
        return Page.of(rows, page.limit(), change -> micros(change.changedAt()) + ":" + change.sequence());
    }

    private static ReadingResponse reading(ResultSet rs, int row) throws SQLException {
        return new ReadingResponse(instant(rs, "ts"), rs.getObject("value", Double.class), rs.getString("status"),
                rs.getBoolean("reported_status"), instant(rs, "received_at"));
    }

    private static StatusChangeResponse statusChange(ResultSet rs, int row) throws SQLException {
        return new StatusChangeResponse(rs.getLong("sequence"), rs.getString("previous_status"), rs.getString("status"),
                rs.getObject("value", Double.class), instant(rs, "reported_at"), instant(rs, "changed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static String micros(Instant instant) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
    }

    static Instant fromMicros(String key) {
        try {
            return Instant.EPOCH.plus(Long.parseLong(key), ChronoUnit.MICROS);
        }
        catch (RuntimeException ex) {
            throw Cursors.invalid();
        }
    }

    /** The position of a status change in the newest-first order. */
    private record ChangeKey(Instant changedAt, long sequence) {

        static ChangeKey parse(String key) {
            int colon = key.indexOf(':');
            if (colon < 0) {
                throw Cursors.invalid();
            }
            try {
                return new ChangeKey(fromMicros(key.substring(0, colon)), Long.parseLong(key.substring(colon + 1)));
            }
            catch (NumberFormatException ex) {
                throw Cursors.invalid();
            }
        }
    }

}
