package io.sensorhub.common.schema;

import java.util.UUID;

import io.sensorhub.common.test.TestServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schema's rules for alerting (migration V76): which reminders are wanted, what
 * enabling a webhook again resets, and the event types a webhook may list.
 */
class AlertingSchemaIntegrationTest {

    private static JdbcClient jdbc;

    @BeforeAll
    static void migrate() {
        TestServices services = TestServices.get();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(services.jdbcUrl());
        dataSource.setUser(services.jdbcUser());
        dataSource.setPassword(services.jdbcPassword());
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = JdbcClient.create(dataSource);
    }

    @Test
    void remindersAreWantedOfTheCurrentAlarmUntilItIsAcknowledged() {
        String sensor = sensor();
        setState(sensor, "CRITICAL", 3);
        assertThat(wanted(sensor, 3)).isTrue();
        assertThat(wanted(sensor, 2)).as("an earlier change").isFalse();

        jdbc.sql("INSERT INTO sensor_acknowledgements (sensor_id, sequence, at) VALUES (?, 3, now())")
            .param(sensor)
            .update();
        assertThat(wanted(sensor, 3)).as("acknowledged").isFalse();

        setState(sensor, "OFFLINE", 4);
        assertThat(wanted(sensor, 4)).as("the acknowledgement was of the change before").isTrue();
        setState(sensor, "FAULT", 5);
        assertThat(wanted(sensor, 5)).isTrue();
        for (String quiet : new String[] { "OK", "WARNING", "UNKNOWN" }) {
            setState(sensor, quiet, 6);
            assertThat(wanted(sensor, 6)).as(quiet).isFalse();
        }
    }

    @Test
    void aWebhookEnabledAgainCountsItsFailuresAfreshButKeepsWhatWasReported() {
        UUID webhook = webhook();
        jdbc.sql("""
                UPDATE webhooks SET enabled = false, disabled_reason = 'gone', failing_since = now(),
                    consecutive_failures = 7, failing_reported_since = '2026-12-01T10:00:00Z' WHERE id = ?""")
            .param(webhook)
            .update();

        jdbc.sql("UPDATE webhooks SET enabled = true WHERE id = ?").param(webhook).update();

        assertThat(jdbc.sql("""
                SELECT failing_since IS NULL AND disabled_reason IS NULL AND consecutive_failures = 0
                       AND failing_reported_since = '2026-12-01T10:00:00Z'
                FROM webhooks WHERE id = ?""").param(webhook).query(Boolean.class).single()).isTrue();
    }

    @Test
    void aWebhookListsKnownEventTypesAndRemindsAtAPositiveInterval() {
        UUID webhook = webhook();
        assertThat(
                jdbc.sql("SELECT event_types FROM webhooks WHERE id = ?").param(webhook).query(String.class).single())
            .isEqualTo("{sensor.status_changed}");
        jdbc.sql("UPDATE webhooks SET event_types = '{webhook.failing,sensor.status_reminder}', repeat_interval = 1 "
                + "WHERE id = ?")
            .param(webhook)
            .update();
        assertThatThrownBy(
                () -> jdbc.sql("UPDATE webhooks SET event_types = '{sensor.hot}' WHERE id = ?").param(webhook).update())
            .isInstanceOf(DataIntegrityViolationException.class)
            .hasMessageContaining("webhooks_event_types_valid");
        assertThatThrownBy(
                () -> jdbc.sql("UPDATE webhooks SET repeat_interval = 0 WHERE id = ?").param(webhook).update())
            .isInstanceOf(DataIntegrityViolationException.class)
            .hasMessageContaining("webhooks_repeat_interval_valid");
    }

    private static boolean wanted(String sensor, long sequence) {
        return jdbc.sql("SELECT sensorhub_reminder_wanted(?, ?)")
            .params(sensor, sequence)
            .query(Boolean.class)
            .single();
    }

    private static void setState(String sensor, String status, long sequence) {
        jdbc.sql("UPDATE sensor_state SET status = ?, sequence = ? WHERE sensor_id = ?")
            .params(status, sequence, sensor)
            .update();
    }

    private static UUID client() {
        UUID client = UUID.randomUUID();
        byte[] hash = new byte[32];
        new java.security.SecureRandom().nextBytes(hash);
        jdbc.sql("INSERT INTO clients (id, name, token_hash) VALUES (?, 'c', ?)").params(client, hash).update();
        return client;
    }

    private static String sensor() {
        String sensor = "alerting-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("INSERT INTO sensors (id, client_id, name) VALUES (?, ?, 's')").params(sensor, client()).update();
        jdbc.sql("INSERT INTO sensor_state (sensor_id) VALUES (?)").param(sensor).update();
        return sensor;
    }

    private static UUID webhook() {
        UUID webhook = UUID.randomUUID();
        jdbc.sql("INSERT INTO webhooks (id, client_id, url, secret) VALUES (?, ?, 'https://example.org/h', 'whsec_x')")
            .params(webhook, client())
            .update();
        return webhook;
    }

}
