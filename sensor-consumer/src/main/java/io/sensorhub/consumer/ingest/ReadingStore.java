package io.sensorhub.consumer.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The hot-path SQL of ingest (DESIGN decision 2): one statement per batch for the thresholds, one for the
 * readings ({@code unnest} arrays, {@code ON CONFLICT DO NOTHING}).
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

    private final JdbcTemplate jdbc;

    ReadingStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The thresholds of these sensors, by id; unregistered sensors are absent. */
    Map<String, Thresholds> thresholds(Collection<String> sensorIds) {
        return this.jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, warn_low, warn_high, crit_low, crit_high FROM sensors WHERE id = ANY (?)")) {
                statement.setArray(1, connection.createArrayOf("text", sensorIds.toArray()));
                return readThresholds(statement);
            }
        });
    }

    /**
     * Inserts these readings (unique keys) unless already stored; answers the keys actually inserted, so a
     * redelivered reading is recognised as one.
     */
    Set<ReadingKey> insertNew(List<EvaluatedReading> readings, Instant receivedAt) {
        if (readings.isEmpty()) {
            return Set.of();
        }
        return this.jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                bind(connection, statement, readings, receivedAt);
                return readKeys(statement, readings.size());
            }
        });
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

    private static Map<String, Thresholds> readThresholds(PreparedStatement statement) throws SQLException {
        Map<String, Thresholds> thresholds = new HashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                thresholds.put(rows.getString(1), new Thresholds(nullable(rows, 2), nullable(rows, 3),
                        nullable(rows, 4), nullable(rows, 5)));
            }
        }
        return thresholds;
    }

    private static Double nullable(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }
}
