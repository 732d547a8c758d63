package io.sensorhub.common.state;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.sensorhub.common.status.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code sensor_state} rows: the truth about each sensor's current state, and the row
 * every status change of a sensor is serialised on. sensor-consumer's ingest and its
 * OFFLINE watchdog both lock through {@link #lock}, in sensor id order, so two writers
 * never deadlock and a change never gets a sequence twice.
 */
public class SensorStateStore {

    private static final String COLUMNS = "sensor_id, status, value, reported_at, since, sequence, last_seen_at, pending_status, pending_since";

    private final JdbcTemplate jdbc;

    public SensorStateStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the state rows of these sensors ({@code FOR UPDATE}, in id order) and answers
     * them by id, in id order. Sensors without a row (unknown or deleted) are absent.
     * Must run inside a transaction.
     */
    public Map<String, SensorState> lock(Collection<String> sensorIds) {
        String[] ids = new TreeSet<>(sensorIds).toArray(String[]::new);
        return this.jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM sensor_state WHERE sensor_id = ANY (?) ORDER BY sensor_id FOR UPDATE")) {
                statement.setArray(1, connection.createArrayOf("text", ids));
                return readAll(statement);
            }
        });
    }

    /** The state of one sensor, without locking; empty if the sensor has no state row. */
    public Optional<SensorState> find(String sensorId) {
        return this.jdbc
            .query("SELECT " + COLUMNS + " FROM sensor_state WHERE sensor_id = ?", (rows, n) -> read(rows), sensorId)
            .stream()
            .findFirst();
    }

    /** The states of these sensors, without locking, by id. */
    public Map<String, SensorState> findAll(Collection<String> sensorIds) {
        String[] ids = sensorIds.toArray(String[]::new);
        return this.jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection
                .prepareStatement("SELECT " + COLUMNS + " FROM sensor_state WHERE sensor_id = ANY (?)")) {
                statement.setArray(1, connection.createArrayOf("text", ids));
                return readAll(statement);
            }
        });
    }

    /** Writes these states in one statement; the caller holds their row locks. */
    public void update(Collection<SensorState> states) {
        if (states.isEmpty()) {
            return;
        }
        this.jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE sensor_state s SET status = u.status, value = u.value, reported_at = u.reported_at,
                        since = u.since, sequence = u.sequence, last_seen_at = u.last_seen_at,
                        pending_status = u.pending_status, pending_since = u.pending_since, updated_at = now()
                    FROM unnest(?::text[], ?::text[], ?::float8[], ?::timestamptz[], ?::timestamptz[], ?::int8[],
                                ?::timestamptz[], ?::text[], ?::timestamptz[])
                        AS u(sensor_id, status, value, reported_at, since, sequence, last_seen_at, pending_status,
                             pending_since)
                    WHERE s.sensor_id = u.sensor_id""")) {
                bindStates(connection, statement, states);
                return statement.executeUpdate();
            }
        });
    }

    private static void bindStates(Connection connection, PreparedStatement statement, Collection<SensorState> states)
            throws SQLException {
        List<Object[]> columns = List.of(new String[states.size()], new String[states.size()],
                new Double[states.size()], new String[states.size()], new String[states.size()],
                new Long[states.size()], new String[states.size()], new String[states.size()],
                new String[states.size()]);
        int i = 0;
        for (SensorState state : states) {
            columns.get(0)[i] = state.sensorId();
            columns.get(1)[i] = state.status().name();
            columns.get(2)[i] = state.value();
            columns.get(3)[i] = text(state.reportedAt());
            columns.get(4)[i] = text(state.since());
            columns.get(5)[i] = state.sequence();
            columns.get(6)[i] = text(state.lastSeenAt());
            columns.get(7)[i] = (state.pending() != null) ? state.pending().status().name() : null;
            columns.get(8)[i] = (state.pending() != null) ? text(state.pending().since()) : null;
            i++;
        }
        String[] types = { "text", "text", "float8", "text", "text", "int8", "text", "text", "text" };
        for (int column = 0; column < types.length; column++) {
            Array array = connection.createArrayOf(types[column], columns.get(column));
            statement.setArray(column + 1, array);
        }
    }

    static String text(Instant instant) {
        return (instant != null) ? instant.toString() : null;
    }

    private static Map<String, SensorState> readAll(PreparedStatement statement) throws SQLException {
        Map<String, SensorState> states = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                SensorState state = read(rows);
                states.put(state.sensorId(), state);
            }
        }
        return states;
    }

    private static SensorState read(ResultSet rows) throws SQLException {
        double raw = rows.getDouble("value");
        Double value = rows.wasNull() ? null : raw;
        return new SensorState(rows.getString("sensor_id"), Status.valueOf(rows.getString("status")), value,
                instant(rows.getTimestamp("reported_at")), instant(rows.getTimestamp("since")),
                rows.getLong("sequence"), instant(rows.getTimestamp("last_seen_at")), pending(rows));
    }

    private static SensorState.PendingStatus pending(ResultSet rows) throws SQLException {
        String status = rows.getString("pending_status");
        return (status != null)
                ? new SensorState.PendingStatus(Status.valueOf(status), instant(rows.getTimestamp("pending_since")))
                : null;
    }

    private static Instant instant(Timestamp timestamp) {
        return (timestamp != null) ? timestamp.toInstant() : null;
    }

}
