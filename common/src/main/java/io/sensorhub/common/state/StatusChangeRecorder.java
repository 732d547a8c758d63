package io.sensorhub.common.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Collection;

import io.sensorhub.common.notify.Channels;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records status changes: the {@code status_changes} rows, their outbox markers for the
 * fan-out, and a {@code NOTIFY} on {@value Channels#STATUS_CHANGES} that PostgreSQL
 * delivers when (and only if) the transaction commits. The one way changes are recorded,
 * by sensor-consumer's ingest and its OFFLINE watchdog alike; notifier-job reads what it
 * writes.
 * <p>
 * The caller runs this inside the transaction that holds the sensors' row locks
 * ({@link SensorStateStore#lock}) and that updates their {@code sensor_state} with the
 * same sequences, so a sequence is assigned once.
 */
public class StatusChangeRecorder {

    private static final String INSERT = """
            WITH changes AS (
                INSERT INTO status_changes (event_id, sensor_id, sequence, previous_status, status, value,
                                            reported_at, changed_at)
                SELECT * FROM unnest(?::uuid[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::float8[],
                                     ?::timestamptz[], ?::timestamptz[])
                RETURNING event_id, sensor_id, sequence, changed_at),
            outbox AS (
                INSERT INTO status_change_outbox (event_id, sensor_id, sequence, changed_at)
                SELECT event_id, sensor_id, sequence, changed_at FROM changes
                RETURNING 1)
            -- the NOTIFY in the same round trip; data-modifying CTEs run whether read or not
            SELECT count(*), pg_notify(?, '') FROM outbox""";

    private final JdbcTemplate jdbc;

    public StatusChangeRecorder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records these changes in the current transaction; notifier-job is woken when it
     * commits.
     */
    public void record(Collection<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        this.jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                bind(connection, statement, changes);
                statement.setString(9, Channels.STATUS_CHANGES);
                statement.execute();
            }
            return null;
        });
    }

    private static void bind(Connection connection, PreparedStatement statement, Collection<StatusChange> changes)
            throws java.sql.SQLException {
        int size = changes.size();
        Object[] eventIds = new Object[size];
        String[] sensorIds = new String[size];
        Long[] sequences = new Long[size];
        String[] previous = new String[size];
        String[] statuses = new String[size];
        Double[] values = new Double[size];
        String[] reportedAt = new String[size];
        String[] changedAt = new String[size];
        int i = 0;
        for (StatusChange change : changes) {
            eventIds[i] = change.eventId();
            sensorIds[i] = change.sensorId();
            sequences[i] = change.sequence();
            previous[i] = change.previousStatus().name();
            statuses[i] = change.status().name();
            values[i] = change.value();
            reportedAt[i] = SensorStateStore.text(change.reportedAt());
            changedAt[i] = SensorStateStore.text(change.changedAt());
            i++;
        }
        statement.setArray(1, connection.createArrayOf("uuid", eventIds));
        statement.setArray(2, connection.createArrayOf("text", sensorIds));
        statement.setArray(3, connection.createArrayOf("int8", sequences));
        statement.setArray(4, connection.createArrayOf("text", previous));
        statement.setArray(5, connection.createArrayOf("text", statuses));
        statement.setArray(6, connection.createArrayOf("float8", values));
        statement.setArray(7, connection.createArrayOf("timestamptz", reportedAt));
        statement.setArray(8, connection.createArrayOf("timestamptz", changedAt));
    }

}
