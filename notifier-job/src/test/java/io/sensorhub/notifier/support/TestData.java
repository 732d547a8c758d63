package io.sensorhub.notifier.support;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.state.StatusChangeRecorder;
import io.sensorhub.common.status.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;

/**
 * Test data written with SQL (no dependency on crud-service or sensor-consumer), and
 * status changes recorded the way sensor-consumer records them: lock the state row,
 * record through {@link StatusChangeRecorder}, update. A prototype bean of the
 * integration tests ({@link NotifierIntegrationTest} imports it): each test instance gets
 * a client of its own.
 */
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public final class TestData {

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final SensorStateStore store;

    private final StatusChangeRecorder recorder;

    private final SecretCipher cipher;

    private final UUID clientId = UUID.randomUUID();

    public TestData(JdbcClient jdbc, TransactionTemplate transactions, SensorStateStore store,
            StatusChangeRecorder recorder, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.store = store;
        this.recorder = recorder;
        this.cipher = cipher;
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        jdbc.sql("INSERT INTO clients (id, name, token_hash) VALUES (?, 'test client', ?)")
            .params(this.clientId, hash)
            .update();
    }

    public UUID clientId() {
        return this.clientId;
    }

    /** A new random {@code whsec_} secret. */
    public static String secret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** A sensor of this client with a state row (UNKNOWN), and the given heartbeat. */
    public String sensor(String id, int heartbeatSeconds) {
        this.jdbc.sql("INSERT INTO sensors (id, client_id, name, heartbeat_seconds) VALUES (?, ?, ?, ?)")
            .params(id, this.clientId, id, heartbeatSeconds)
            .update();
        this.jdbc.sql("INSERT INTO sensor_state (sensor_id) VALUES (?)").param(id).update();
        return id;
    }

    public String sensor(String id) {
        return sensor(id, 300);
    }

    /** A webhook of this client for all sensors and statuses. */
    public UUID webhook(String url, String secret) {
        return webhook(url, secret, null, null);
    }

    /**
     * A webhook of this client with filters (null: all); its secret stored as
     * crud-service stores it (encrypted).
     */
    public UUID webhook(String url, String secret, List<String> sensorIds, List<String> statuses) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO webhooks (id, client_id, url, secret, sensor_ids, statuses)
                VALUES (?, ?, ?, ?, ?::text[], ?::text[])""")
            .params(id, this.clientId, url, this.cipher.encrypt(secret), array(sensorIds), array(statuses))
            .update();
        return id;
    }

    /**
     * A webhook of this client for all sensors and statuses, receiving these event types
     * and, if {@code repeatInterval} is not null, reminders every so many seconds (any
     * positive number here; the API takes 60 or more).
     */
    public UUID webhookReceiving(String url, String secret, List<String> eventTypes, Integer repeatInterval) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO webhooks (id, client_id, url, secret, event_types, repeat_interval)
                VALUES (?, ?, ?, ?, ?::text[], ?)""")
            .params(id, this.clientId, url, this.cipher.encrypt(secret), array(eventTypes), repeatInterval)
            .update();
        return id;
    }

    /**
     * Acknowledges the sensor's current status as crud-service does ({@code POST
     * /sensors/{id}/acknowledge}); answers when, by the database's clock.
     */
    public Instant acknowledge(String sensorId, String comment) {
        return this.jdbc.sql("""
                INSERT INTO sensor_acknowledgements (sensor_id, sequence, at, comment)
                SELECT sensor_id, sequence, now(), ? FROM sensor_state WHERE sensor_id = ?
                ON CONFLICT (sensor_id) DO UPDATE
                SET sequence = excluded.sequence, at = excluded.at, comment = excluded.comment
                RETURNING at""").params(comment, sensorId).query(java.sql.Timestamp.class).single().toInstant();
    }

    /**
     * Records a change of the sensor to {@code status} as sensor-consumer would; answers
     * the change.
     */
    public StatusChange change(String sensorId, Status status, Double value) {
        return change(sensorId, status, value, Instant.now());
    }

    /**
     * Records a change of the sensor to {@code status} at {@code at} (its reading's
     * timestamp and its {@code changedAt}); answers the change.
     */
    public StatusChange change(String sensorId, Status status, Double value, Instant at) {
        return this.transactions.execute(tx -> {
            SensorState current = this.store.lock(List.of(sensorId)).get(sensorId);
            StatusChange change = StatusChange.after(current, status, value, at, at);
            this.recorder.record(List.of(change));
            this.store.update(List.of(new SensorState(sensorId, status, value, at, at, change.sequence(), at)));
            return change;
        });
    }

    /** Several changes, one transaction each, alternating OK and CRITICAL. */
    public List<StatusChange> changes(String sensorId, int count) {
        List<StatusChange> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(change(sensorId, (i % 2 == 0) ? Status.CRITICAL : Status.OK, (double) i));
        }
        return changes;
    }

    /** The deliveries of a webhook: id, state, attempt_count, sequence, by sequence. */
    public List<Map<String, Object>> deliveries(UUID webhookId) {
        return this.jdbc
            .sql("SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY sequence NULLS FIRST, created_at")
            .param(webhookId)
            .query()
            .listOfRows();
    }

    /** The attempts of the delivery of an event to a webhook, in order. */
    public List<Map<String, Object>> attempts(UUID webhookId, UUID eventId) {
        return this.jdbc.sql("""
                SELECT a.* FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                WHERE d.webhook_id = ? AND d.event_id = ? ORDER BY a.attempt""")
            .params(webhookId, eventId)
            .query()
            .listOfRows();
    }

    public Map<String, Object> webhookRow(UUID webhookId) {
        return this.jdbc.sql("SELECT * FROM webhooks WHERE id = ?").param(webhookId).query().singleRow();
    }

    /** Removes this client and everything of it, so its webhooks stop receiving. */
    public void cleanUp() {
        for (int attempt = 1;; attempt++) {
            try {
                this.jdbc.sql("DELETE FROM clients WHERE id = ?").param(this.clientId).update();
                return;
            }
            catch (org.springframework.dao.PessimisticLockingFailureException ex) {
                if (attempt == 3) {
                    throw ex;
                }
            }
        }
    }

    private static String array(List<String> values) {
        if (values == null) {
            return null;
        }
        return "{" + String.join(",", values.stream().map(v -> "\"" + v + "\"").toList()) + "}";
    }

}
