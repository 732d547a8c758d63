package io.sensorhub.crud.silences;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.status.Status;
import io.sensorhub.crud.silences.SilenceDtos.Schedule;
import io.sensorhub.crud.silences.SilenceDtos.SilenceResponse;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * The {@code silences} table (migration V75). Whether a silence is active is answered by
 * the database's {@code sensorhub_silence_active}, the rule notifier-job applies, never
 * worked out here.
 */
@Component
class SilenceQueries {

    private static final String COLUMNS = """
            id, sensor_ids, statuses, starts_at, ends_at, weekdays, to_char(window_start, 'HH24:MI') AS window_start,
            to_char(window_end, 'HH24:MI') AS window_end, time_zone, comment, created_at,
            sensorhub_silence_active(s, now()) AS active""";

    private final JdbcClient jdbc;

    SilenceQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertOneOff(UUID id, UUID clientId, List<String> sensorIds, List<Status> statuses, Instant startsAt,
            Instant endsAt, String comment) {
        this.jdbc.sql("""
                INSERT INTO silences (id, client_id, sensor_ids, statuses, starts_at, ends_at, comment)
                VALUES (?, ?, ?::text[], ?::text[], ?, ?, ?)""")
            .params(id, clientId, texts(sensorIds), texts(names(statuses)), utc(startsAt), utc(endsAt), comment)
            .update();
    }

    void insertRecurring(UUID id, UUID clientId, List<String> sensorIds, List<Status> statuses, List<Weekday> weekdays,
            String start, String end, String timeZone, String comment) {
        Object[] days = weekdays.stream().map(Weekday::iso).toArray();
        this.jdbc
            .sql("""
                    INSERT INTO silences (id, client_id, sensor_ids, statuses, weekdays, window_start, window_end, time_zone,
                                          comment)
                    VALUES (?, ?, ?::text[], ?::text[], ?::smallint[], ?::time, ?::time, ?, ?)""")
            .params(id, clientId, texts(sensorIds), texts(names(statuses)), new SqlArrayValue("int4", days), start, end,
                    timeZone, comment)
            .update();
    }

    Optional<SilenceResponse> find(UUID clientId, UUID id) {
        return this.jdbc.sql("SELECT " + COLUMNS + " FROM silences s WHERE client_id = ? AND id = ?")
            .params(clientId, id)
            .query((rows, n) -> silence(rows))
            .optional();
    }

    /** The client's silences in id order, after {@code after} if given. */
    List<SilenceResponse> list(UUID clientId, UUID after, int limit) {
        String where = (after != null) ? "client_id = ? AND id > ?" : "client_id = ?";
        Object[] params = (after != null) ? new Object[] { clientId, after, limit } : new Object[] { clientId, limit };
        return this.jdbc.sql("SELECT " + COLUMNS + " FROM silences s WHERE " + where + " ORDER BY id LIMIT ?")
            .params(params)
            .query((rows, n) -> silence(rows))
            .list();
    }

    /** Deletes the client's silence; false if it has none of that id. */
    boolean delete(UUID clientId, UUID id) {
        return this.jdbc.sql("DELETE FROM silences WHERE client_id = ? AND id = ?").params(clientId, id).update() > 0;
    }

    /**
     * The client's silences that have not ended (recurring ones never do), through
     * {@code silences_client_until_idx}.
     */
    long countNotEnded(UUID clientId) {
        return this.jdbc.sql("""
                SELECT count(*) FROM silences
                WHERE client_id = ? AND coalesce(ends_at, 'infinity'::timestamptz) > now()""")
            .param(clientId)
            .query(Long.class)
            .single();
    }

    /**
     * Whether PostgreSQL knows the time zone (it, not Java, applies the schedule);
     * outside any transaction, since an unknown zone is an error there.
     */
    boolean knowsTimeZone(String zone) {
        try {
            this.jdbc.sql("SELECT now() AT TIME ZONE ?").param(zone).query().singleValue();
            return true;
        }
        catch (DataAccessException ex) {
            if (ex.getMostSpecificCause() instanceof SQLException sql && "22023".equals(sql.getSQLState())) {
                return false;
            }
            throw ex;
        }
    }

    /**
     * Tells notifier-job, when the transaction commits, that a silence was created or
     * deleted.
     */
    void notifyChanged() {
        this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.SILENCES).query().listOfRows();
    }

    private static SilenceResponse silence(ResultSet rows) throws SQLException {
        Schedule schedule = null;
        Array weekdays = rows.getArray("weekdays");
        if (weekdays != null) {
            List<Weekday> days = Arrays.stream((Object[]) weekdays.getArray())
                .map(day -> Weekday.ofIso(((Number) day).intValue()))
                .toList();
            schedule = new Schedule(days, rows.getString("window_start"), rows.getString("window_end"),
                    rows.getString("time_zone"));
        }
        List<String> statuses = strings(rows.getArray("statuses"));
        return new SilenceResponse(rows.getObject("id", UUID.class), strings(rows.getArray("sensor_ids")),
                (statuses != null) ? statuses.stream().map(Status::valueOf).toList() : null, instant(rows, "starts_at"),
                instant(rows, "ends_at"), schedule, rows.getString("comment"), rows.getBoolean("active"),
                instant(rows, "created_at"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return (array != null) ? List.of((String[]) array.getArray()) : null;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static List<String> names(List<Status> statuses) {
        return (statuses != null) ? statuses.stream().map(Status::name).toList() : null;
    }

    private static SqlArrayValue texts(List<String> values) {
        return (values != null) ? new SqlArrayValue("text", values.toArray()) : null;
    }

}
