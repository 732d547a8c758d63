package io.sensorhub.consumer.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.status.Thresholds;
import io.sensorhub.consumer.ingest.EvaluatedReading.ReadingKey;
import io.sensorhub.consumer.status.StatusSettings;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The hot-path SQL of ingest (docs/architecture.md): one statement per batch for the
 * sensors' status settings, one {@code COPY} (or, when some are already stored, one
 * {@code unnest} insert with {@code ON CONFLICT DO NOTHING}) for the readings.
 */
@Repository
class ReadingStore {

    private static final String INSERT = """
            INSERT INTO readings (sensor_id, ts, value, status, reported_status, received_at)
            SELECT u.sensor_id, u.ts, u.value, u.status, u.reported, ?::timestamptz
            FROM unnest(?::text[], ?::timestamptz[], ?::float8[], ?::text[], ?::bool[])
                AS u(sensor_id, ts, value, status, reported)
            ON CONFLICT DO NOTHING
            RETURNING sensor_id, ts""";

    private static final String COPY = "COPY readings (sensor_id, ts, value, status, reported_status, received_at) FROM STDIN";

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * From this many readings on, COPY's speed per row outweighs its two extra round
     * trips (the savepoint).
     */
    private static final int COPY_THRESHOLD = 2000;

    private final JdbcTemplate jdbc;

    ReadingStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the database answers a trivial query. */
    boolean ping() {
        return Integer.valueOf(1).equals(this.jdbc.queryForObject("SELECT 1", Integer.class));
    }

    /**
     * The status settings (thresholds, hysteresis, minimum duration) of these sensors, by
     * id; unregistered sensors are absent.
     */
    Map<String, StatusSettings> settings(Collection<String> sensorIds) {
        return this.jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, warn_low, warn_high, crit_low, crit_high, hysteresis, min_duration_seconds FROM sensors WHERE id = ANY (?)")) {
                statement.setArray(1, connection.createArrayOf("text", sensorIds.toArray()));
                return readSettings(statement);
            }
        });
    }

    /**
     * Inserts these readings (unique keys) unless already stored; answers the keys
     * actually inserted, so a redelivered reading is recognised as one. Must run inside a
     * transaction.
     * <p>
     * Small batches: one {@code INSERT ... ON CONFLICT DO NOTHING RETURNING} (a single
     * round trip). Large ones: optimistic {@code COPY} (several times faster per row)
     * under a savepoint; only when a reading is already stored (a redelivery: rare) does
     * it roll back to the savepoint and insert with {@code ON CONFLICT}, which tells
     * which readings are new.
     */
    Set<ReadingKey> insertNew(List<EvaluatedReading> readings, Instant receivedAt) {
        if (readings.isEmpty()) {
            return Set.of();
        }
        if (readings.size() < COPY_THRESHOLD) {
            return this.jdbc.execute((Connection connection) -> insertIfAbsent(connection, readings, receivedAt));
        }
        return this.jdbc.execute((Connection connection) -> {
            Savepoint savepoint = connection.setSavepoint();
            try {
                copy(connection, readings, receivedAt);
                connection.releaseSavepoint(savepoint);
                return allKeys(readings);
            }
            catch (SQLException ex) {
                if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
                    throw ex;
                }
                connection.rollback(savepoint);
                return insertIfAbsent(connection, readings, receivedAt);
            }
        });
    }

    private static Set<ReadingKey> insertIfAbsent(Connection connection, List<EvaluatedReading> readings,
            Instant receivedAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            bind(connection, statement, readings, receivedAt);
            return readKeys(statement, readings.size());
        }
    }

    private static void copy(Connection connection, List<EvaluatedReading> readings, Instant receivedAt)
            throws SQLException {
        String received = receivedAt.toString();
        StringBuilder rows = new StringBuilder(readings.size() * 96);
        for (EvaluatedReading evaluated : readings) {
            Reading reading = evaluated.reading();
            appendEscaped(rows, reading.sensorId()).append('\t').append(reading.timestamp()).append('\t');
            rows.append((reading.value() != null) ? reading.value().toString() : "\\N").append('\t');
            rows.append(evaluated.status().name()).append('\t').append(reading.statusReported() ? 't' : 'f');
            rows.append('\t').append(received).append('\n');
        }
        try {
            connection.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(COPY, new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
        }
        catch (IOException ex) {
            throw new SQLException("COPY of readings failed", "08006", ex);
        }
    }

    /** COPY text format: backslash, tab, newline and carriage return are escaped. */
    private static StringBuilder appendEscaped(StringBuilder rows, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
        return rows;
    }

    private static Set<ReadingKey> allKeys(List<EvaluatedReading> readings) {
        Set<ReadingKey> keys = new HashSet<>(readings.size() * 2);
        readings.forEach(reading -> keys.add(reading.key()));
        return keys;
    }

    private static void bind(Connection connection, PreparedStatement statement, List<EvaluatedReading> readings,
            Instant receivedAt) throws SQLException {
        int size = readings.size();
        String[] ids = new String[size];
        String[] timestamps = new String[size];
        Double[] values = new Double[size];
        String[] statuses = new String[size];
        Boolean[] reported = new Boolean[size];
        for (int i = 0; i < size; i++) {
            Reading reading = readings.get(i).reading();
            ids[i] = reading.sensorId();
            timestamps[i] = reading.timestamp().toString();
            values[i] = reading.value();
            statuses[i] = readings.get(i).status().name();
            reported[i] = reading.statusReported();
        }
        statement.setString(1, receivedAt.toString());
        statement.setArray(2, connection.createArrayOf("text", ids));
        statement.setArray(3, connection.createArrayOf("timestamptz", timestamps));
        statement.setArray(4, connection.createArrayOf("float8", values));
        statement.setArray(5, connection.createArrayOf("text", statuses));
        statement.setArray(6, connection.createArrayOf("bool", reported));
    }

    private static Set<ReadingKey> readKeys(PreparedStatement statement, int expected) throws SQLException {
        Set<ReadingKey> keys = new HashSet<>(expected * 2);
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                keys.add(new ReadingKey(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant()));
            }
        }
        return keys;
    }

    private static Map<String, StatusSettings> readSettings(PreparedStatement statement) throws SQLException {
        Map<String, StatusSettings> settings = new HashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Thresholds thresholds = new Thresholds(nullable(rows, 2), nullable(rows, 3), nullable(rows, 4),
                        nullable(rows, 5));
                settings.put(rows.getString(1), new StatusSettings(thresholds, rows.getDouble(6), rows.getInt(7)));
            }
        }
        return settings;
    }

    private static Double nullable(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

}
