package io.sensorhub.crud.sensors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sensor deleted while an ingest batch of its readings is in flight: the batch is
 * played here as sensor-consumer runs it (lock the {@code sensor_state} rows in id order,
 * insert the readings, commit). Whatever the interleaving, nothing of the previous owner
 * is left for the next client that registers the id.
 */
class SensorRemovalRaceIntegrationTest extends ApiIntegrationTest {

    private final Instant timestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);

    @Autowired
    private DataSource dataSource;

    @BeforeEach
    void partitions() {
        this.jdbc.sql("SELECT count(*) FROM sensorhub_maintain_partitions(30, 7)").query(Long.class).single();
    }

    @Test
    void aBatchCommittingDuringASensorsDeletionLeavesNothingForTheNextOwner() throws Exception {
        Api first = newClient();
        String id = sensorId("race");
        first.createSensor(id);
        deleteDuringBatch(id, () -> first.delete("/api/v1/sensors/" + id), 204);
        assertNextOwnerStartsClean(id);
    }

    @Test
    void aBatchCommittingDuringAClientsDeletionLeavesNothingForTheNextOwner() throws Exception {
        Api first = newClient();
        String id = sensorId("race-client");
        first.createSensor(id);
        deleteDuringBatch(id, () -> this.admin.delete("/api/v1/clients/" + first.clientId), 204);
        assertNextOwnerStartsClean(id);
    }

    /**
     * Runs {@code deletion} while a batch holding the sensor's state lock has inserted a
     * reading, then commits.
     */
    private void deleteDuringBatch(String id, Supplier<MvcTestResult> deletion, int status) throws Exception {
        try (Connection batch = this.dataSource.getConnection()) {
            batch.setAutoCommit(false);
            lockAndInsert(batch, id);
            CompletableFuture<MvcTestResult> deleted = CompletableFuture.supplyAsync(deletion);
            await().atMost(Duration.ofSeconds(60)).until(() -> waitingForALock() || deleted.isDone());
            batch.commit();
            assertThat(deleted.get().getResponse().getStatus()).isEqualTo(status);
        }
    }

    private void lockAndInsert(Connection batch, String id) throws SQLException {
        try (PreparedStatement lock = batch.prepareStatement(
                "SELECT sensor_id FROM sensor_state WHERE sensor_id = ANY (?) ORDER BY sensor_id FOR UPDATE")) {
            lock.setArray(1, batch.createArrayOf("text", new String[] { id }));
            lock.executeQuery().close();
        }
        try (PreparedStatement insert = batch.prepareStatement("""
                INSERT INTO readings (sensor_id, ts, value, status, reported_status, received_at)
                VALUES (?, ?, 1.0, 'OK', false, now()) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, id);
            insert.setTimestamp(2, Timestamp.from(this.timestamp));
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private boolean waitingForALock() {
        return this.jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'""").query(Long.class).single() > 0;
    }

    private void assertNextOwnerStartsClean(String id) {
        Api next = newClient();
        next.createSensor(id);
        assertThat(body(next.get("/api/v1/sensors/" + id + "/readings")).get("items").size()).isZero();
        int stored = this.jdbc.sql("""
                INSERT INTO readings (sensor_id, ts, value, status, reported_status, received_at)
                VALUES (?, ?, 2.0, 'OK', false, now()) ON CONFLICT DO NOTHING""")
            .params(id, Timestamp.from(this.timestamp))
            .update();
        assertThat(stored).as("the next owner's reading with the same timestamp is stored").isEqualTo(1);
    }

}
