package io.sensorhub.common.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.sensorhub.common.config.StorageProperties;
import io.sensorhub.common.partitions.PartitionMaintenance;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.common.test.WebhookBodyFormat;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Flyway migrations against a real, empty PostgreSQL database of this test run. */
class SchemaIntegrationTest {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private static final TestServices services = TestServices.get();

    @BeforeAll
    static void migrate() {
        MigrateResult result = flyway(null).migrate();
        assertThat(result.success).isTrue();
    }

    @Test
    void migrationsCreateTheWholeDataModel() throws SQLException {
        assertThat(tables()).contains("clients", "sensors", "webhooks", "sensor_state", "readings", "status_changes",
                "status_change_outbox", "webhook_deliveries", "webhook_delivery_attempts");
    }

    @Test
    void partitionsExistFromRetentionAgoToAWeekAhead() throws SQLException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> tables = tables();
        for (int day = -30; day <= 7; day++) {
            String suffix = today.plusDays(day).format(DAY);
            assertThat(tables).contains("readings_p" + suffix, "status_changes_p" + suffix);
        }
    }

    @Test
    void readingForADayWithoutPartitionIsRejectedNotSwallowed() throws SQLException {
        try (Connection connection = services.openConnection()) {
            OffsetDateTime farFuture = OffsetDateTime.now(ZoneOffset.UTC).plusDays(60);
            assertThatThrownBy(() -> insertReading(connection, "no-partition", farFuture))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no partition");
            assertThat(count(connection, "SELECT count(*) FROM readings WHERE sensor_id = 'no-partition'")).isZero();
        }
    }

    @Test
    void aReadingIsIdentifiedBySensorAndTimestamp() throws SQLException {
        try (Connection connection = services.openConnection()) {
            OffsetDateTime ts = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
            insertReading(connection, "dup-reading", ts);
            assertThatThrownBy(() -> insertReading(connection, "dup-reading", ts)).isInstanceOf(SQLException.class)
                .hasMessageContaining("readings_");
            try (PreparedStatement again = connection.prepareStatement(
                    "INSERT INTO readings (sensor_id, ts, value, status, received_at) VALUES (?, ?, 2, 'OK', now()) ON CONFLICT DO NOTHING")) {
                again.setString(1, "dup-reading");
                again.setObject(2, ts);
                assertThat(again.executeUpdate()).isZero();
            }
            assertThat(count(connection, "SELECT count(*) FROM readings WHERE sensor_id = 'dup-reading'")).isEqualTo(1);
        }
    }

    @Test
    void aStatusChangeSequenceIsRecordedOnceAndFannedOutOnce() throws SQLException {
        try (Connection connection = services.openConnection()) {
            OffsetDateTime changedAt = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
            String change = "INSERT INTO status_changes (sensor_id, sequence, previous_status, status, changed_at, event_id) VALUES ('dup-change', 1, 'UNKNOWN', 'OK', ?, ?)";
            String outbox = "INSERT INTO status_change_outbox (event_id, sensor_id, sequence, changed_at) VALUES (?, 'dup-change', 1, ?)";
            execute(connection, change, changedAt, UUID.randomUUID());
            execute(connection, outbox, UUID.randomUUID(), changedAt);
            assertThatThrownBy(() -> execute(connection, change, changedAt, UUID.randomUUID()))
                .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> execute(connection, outbox, UUID.randomUUID(), changedAt))
                .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void anEventIsDeliveredToAWebhookOnce() throws SQLException {
        try (Connection connection = services.openConnection()) {
            UUID client = UUID.randomUUID();
            UUID webhook = UUID.randomUUID();
            UUID event = UUID.randomUUID();
            execute(connection, "INSERT INTO clients (id, name, token_hash) VALUES (?, 'c', ?)", client, randomHash());
            execute(connection,
                    "INSERT INTO webhooks (id, client_id, url, secret) VALUES (?, ?, 'https://example.org/h', 'whsec_x')",
                    webhook, client);
            String delivery = "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload) VALUES (?, ?, ?, 'webhook.test', '{}')";
            execute(connection, delivery, UUID.randomUUID(), webhook, event);
            assertThatThrownBy(() -> execute(connection, delivery, UUID.randomUUID(), webhook, event))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("webhook_deliveries_event_key");
        }
    }

    @Test
    void everyWebhookBodyHasOneEnvelopeAndOneTimeFormat() throws SQLException {
        try (Connection connection = services.openConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'America/New_York'");
            try (ResultSet row = statement.executeQuery("""
                    SELECT sensorhub_json_time('2026-11-29 10:00:00.123456+01'),
                           sensorhub_json_time('2026-11-29 10:00:00+00'),
                           sensorhub_json_time(NULL),
                           sensorhub_webhook_body('x.y', '2026-11-29 23:59:59.9999+00', '{"a": 1}')
                               = '{"type": "x.y", "timestamp": "2026-11-29T23:59:59.999Z", "data": {"a": 1}}'""")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo("2026-11-29T09:00:00.123Z").matches(WebhookBodyFormat.TIME);
                assertThat(row.getString(2)).isEqualTo("2026-11-29T10:00:00.000Z");
                assertThat(row.getString(3)).isNull();
                assertThat(row.getBoolean(4)).isTrue();
            }
        }
    }

    /**
     * An operator's {@code UPDATE ... SET state = 'pending'} revives a delivery whole, as
     * the API's redelivery does (which sets no more than that either).
     */
    @Test
    void aDeliveryMadePendingAgainByHandIsRevivedWhole() throws SQLException {
        try (Connection connection = services.openConnection(); Statement statement = connection.createStatement()) {
            UUID client = UUID.randomUUID();
            UUID webhook = UUID.randomUUID();
            UUID delivery = UUID.randomUUID();
            execute(connection, "INSERT INTO clients (id, name, token_hash) VALUES (?, 'c', ?)", client, randomHash());
            execute(connection,
                    "INSERT INTO webhooks (id, client_id, url, secret) VALUES (?, ?, 'https://Example.org:8443/h', 'whsec_x')",
                    webhook, client);
            execute(connection,
                    """
                            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload, state, attempt_count,
                                                            completed_at, locked_by, locked_until, waiting)
                            VALUES (?, ?, gen_random_uuid(), 'webhook.test', '{}', 'dead', 4, now(), 'gone', now() + interval '1 hour',
                                    true)""",
                    delivery, webhook);

            execute(connection, "UPDATE webhook_deliveries SET state = 'pending' WHERE id = ?", delivery);

            try (ResultSet row = statement.executeQuery("""
                    SELECT retry_base, completed_at IS NULL, locked_by IS NULL, locked_until IS NULL, waiting, host
                    FROM webhook_deliveries WHERE id = '%s'""".formatted(delivery))) {
                row.next();
                assertThat(row.getInt(1)).as("retries counted afresh").isEqualTo(4);
                assertThat(row.getBoolean(2)).as("not completed").isTrue();
                assertThat(row.getBoolean(3) && row.getBoolean(4)).as("no lease").isTrue();
                assertThat(row.getBoolean(5)).as("waiting").isFalse();
                assertThat(row.getString(6)).isEqualTo("example.org:8443");
            }
        }
    }

    @Test
    void thresholdsMustBeOrdered() throws SQLException {
        try (Connection connection = services.openConnection()) {
            UUID client = UUID.randomUUID();
            execute(connection, "INSERT INTO clients (id, name, token_hash) VALUES (?, 'c', ?)", client, randomHash());
            String sensor = "INSERT INTO sensors (id, client_id, name, crit_low, warn_low, warn_high, crit_high) VALUES (?, ?, 's', ?, ?, ?, ?)";
            execute(connection, sensor, "ordered", client, 0.0, 0.0, 10.0, 10.0);
            assertThatThrownBy(() -> execute(connection, sensor, "unordered", client, 5.0, 1.0, 10.0, 20.0))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("sensors_thresholds_ordered");
            assertThatThrownBy(() -> execute(connection, sensor, "bad id!", client, null, null, null, null))
                .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void hysteresisAndMinimumDurationAreNonNegativeAndAPendingStatusIsComplete() throws SQLException {
        try (Connection connection = services.openConnection()) {
            UUID client = UUID.randomUUID();
            execute(connection, "INSERT INTO clients (id, name, token_hash) VALUES (?, 'c', ?)", client, randomHash());
            String sensor = "INSERT INTO sensors (id, client_id, name, hysteresis, min_duration_seconds) VALUES (?, ?, 's', ?, ?)";
            String settled = "settled-" + client;
            execute(connection, sensor, settled, client, 0.5, 60);
            assertThatThrownBy(() -> execute(connection, sensor, "negative", client, -0.5, 0))
                .hasMessageContaining("sensors_hysteresis_valid");
            assertThatThrownBy(() -> execute(connection, sensor, "infinite", client, Double.POSITIVE_INFINITY, 0))
                .hasMessageContaining("sensors_hysteresis_valid");
            assertThatThrownBy(() -> execute(connection, sensor, "not-a-number", client, Double.NaN, 0))
                .hasMessageContaining("sensors_hysteresis_valid");
            assertThatThrownBy(() -> execute(connection, sensor, "impatient", client, 0.0, -1))
                .hasMessageContaining("sensors_min_duration_valid");
            execute(connection, "INSERT INTO sensor_state (sensor_id) VALUES (?)", settled);
            String pending = "UPDATE sensor_state SET pending_status = ?, pending_since = ?::timestamptz WHERE sensor_id = ?";
            execute(connection, pending, "WARNING", "2026-11-29T10:00:00Z", settled);
            assertThatThrownBy(() -> execute(connection, pending, "WARNING", null, settled))
                .hasMessageContaining("sensor_state_pending_complete");
            assertThatThrownBy(() -> execute(connection, pending, "OFFLINE", "2026-11-29T10:00:00Z", settled))
                .hasMessageContaining("sensor_state_pending_status_valid");
        }
    }

    @Test
    void maintenanceCreatesAheadAndDropsPastRetention() throws SQLException {
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(45);
        try (Connection connection = services.openConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE readings_p" + old.format(DAY) + " PARTITION OF readings FOR VALUES FROM ('"
                    + old + " 00:00:00+00') TO ('" + old.plusDays(1) + " 00:00:00+00')");
        }
        StorageProperties tenDaysAhead = new StorageProperties(java.time.Duration.ofDays(30), 10,
                java.time.Duration.ofHours(1));
        List<String> actions = new PartitionMaintenance(JdbcClient.create(dataSource()), tenDaysAhead).run();
        String farthest = LocalDate.now(ZoneOffset.UTC).plusDays(10).format(DAY);
        assertThat(actions).contains("dropped readings_p" + old.format(DAY), "created readings_p" + farthest,
                "created status_changes_p" + farthest);
        assertThat(tables()).doesNotContain("readings_p" + old.format(DAY)).contains("readings_p" + farthest);
        assertThat(new PartitionMaintenance(JdbcClient.create(dataSource()), tenDaysAhead).run()).isEmpty();
    }

    @Test
    void threeServicesMigratingAnEmptyDatabaseAtOnceAllSucceed() throws Exception {
        String schema = "concurrent_" + Long.toHexString(System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<MigrateResult>> starts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                starts.add(() -> flyway(schema).migrate());
            }
            for (Future<MigrateResult> start : pool.invokeAll(starts)) {
                assertThat(start.get().success).isTrue();
            }
        }
        finally {
            pool.shutdown();
        }
        try (Connection connection = services.openConnection()) {
            // each versioned migration applied once (modules add their own migrations:
            // V30.. notifier-job)
            assertThat(count(connection,
                    "SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success AND version IS NOT NULL"))
                .isEqualTo(count(connection,
                        "SELECT count(DISTINCT version) FROM " + schema
                                + ".flyway_schema_history WHERE version IS NOT NULL"))
                .isGreaterThanOrEqualTo(3);
            assertThat(count(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema
                    + "' AND tablename LIKE 'readings_p%'"))
                .isEqualTo(38);
        }
    }

    private static Flyway flyway(String schema) {
        var configuration = Flyway.configure().dataSource(dataSource());
        if (schema != null) {
            configuration.schemas(schema).createSchemas(true);
        }
        return configuration.load();
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(services.jdbcUrl());
        dataSource.setUser(services.jdbcUser());
        dataSource.setPassword(services.jdbcPassword());
        return dataSource;
    }

    private static List<String> tables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = services.openConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement
                    .executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static void insertReading(Connection connection, String sensor, OffsetDateTime ts) throws SQLException {
        execute(connection,
                "INSERT INTO readings (sensor_id, ts, value, status, received_at) VALUES (?, ?, 1, 'OK', now())",
                sensor, ts);
    }

    private static byte[] randomHash() {
        byte[] hash = new byte[32];
        new java.security.SecureRandom().nextBytes(hash);
        return hash;
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

}
