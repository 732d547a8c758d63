package io.sensorhub.common.state;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared state pieces against real PostgreSQL and Redis. */
@SpringBootTest(classes = StateIntegrationTest.App.class)
class StateIntegrationTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

    }

    @Autowired
    private SensorStateStore store;

    @Autowired
    private StatusChangeRecorder recorder;

    @Autowired
    private SensorStateCache cache;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private StringRedisTemplate redis;

    @Autowired
    private TransactionTemplate transactions;

    private String sensor;

    @BeforeEach
    void sensor() {
        UUID client = UUID.randomUUID();
        this.sensor = "state-" + UUID.randomUUID();
        byte[] hash = new byte[32];
        new java.security.SecureRandom().nextBytes(hash);
        this.jdbc.sql("INSERT INTO clients (id, name, token_hash) VALUES (?, 'c', ?)").params(client, hash).update();
        this.jdbc.sql("INSERT INTO sensors (id, client_id, name) VALUES (?, ?, 's')")
            .params(this.sensor, client)
            .update();
        this.jdbc.sql("INSERT INTO sensor_state (sensor_id) VALUES (?)").param(this.sensor).update();
    }

    @Test
    void recordingAChangeWritesRowOutboxAndStateAndNotifiesOnCommit() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection listener = TestServices.get().openConnection(); Statement listen = listener.createStatement()) {
            listen.execute("LISTEN " + Channels.STATUS_CHANGES);
            StatusChange change = this.transactions.execute(tx -> {
                SensorState current = this.store.lock(List.of(this.sensor)).get(this.sensor);
                StatusChange next = StatusChange.after(current, Status.WARNING, 42.5, now, now);
                this.recorder.record(List.of(next));
                this.store.update(
                        List.of(new SensorState(this.sensor, Status.WARNING, 42.5, now, now, next.sequence(), now)));
                return next;
            });
            assertThat(change.sequence()).isEqualTo(1);
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertThat(notifications).isNotEmpty();
            assertThat(notifications[0].getName()).isEqualTo(Channels.STATUS_CHANGES);
        }
        assertThat(this.jdbc
            .sql("SELECT count(*) FROM status_changes WHERE sensor_id = ? AND sequence = 1 AND status = 'WARNING'")
            .param(this.sensor)
            .query(Long.class)
            .single()).isEqualTo(1);
        assertThat(this.jdbc.sql("SELECT count(*) FROM status_change_outbox WHERE sensor_id = ?")
            .param(this.sensor)
            .query(Long.class)
            .single()).isEqualTo(1);
        SensorState stored = this.store.find(this.sensor).orElseThrow();
        assertThat(stored.status()).isEqualTo(Status.WARNING);
        assertThat(stored.value()).isEqualTo(42.5);
        assertThat(stored.reportedAt()).isEqualTo(now);
        assertThat(stored.sequence()).isEqualTo(1);
    }

    @Test
    void aRolledBackChangeLeavesNothing() {
        Instant now = Instant.now();
        this.transactions.executeWithoutResult(tx -> {
            SensorState current = this.store.lock(List.of(this.sensor)).get(this.sensor);
            this.recorder.record(List.of(StatusChange.after(current, Status.OK, 1.0, now, now)));
            this.cache.putAfterCommit(List.of(new SensorState(this.sensor, Status.OK, 1.0, now, now, 1, now)));
            tx.setRollbackOnly();
        });
        assertThat(this.jdbc.sql("SELECT count(*) FROM status_changes WHERE sensor_id = ?")
            .param(this.sensor)
            .query(Long.class)
            .single()).isZero();
        assertThat(this.cache.find(this.sensor)).isEmpty();
    }

    @Test
    void lockAnswersOnlyExistingSensorsInIdOrder() {
        Map<String, SensorState> locked = this.transactions
            .execute(tx -> this.store.lock(List.of("zz-missing", this.sensor)));
        assertThat(locked).containsOnlyKeys(this.sensor);
        assertThat(locked.get(this.sensor)).isEqualTo(SensorState.unknown(this.sensor));
    }

    @Test
    void cacheNeverMovesBackwards() {
        Instant t1 = Instant.parse("2026-11-29T10:00:00.000001Z");
        Instant t2 = t1.plusSeconds(1);
        SensorState newer = new SensorState(this.sensor, Status.CRITICAL, 99.0, t2, t2, 3, null);
        SensorState olderSequence = new SensorState(this.sensor, Status.OK, 1.0, t2.plusSeconds(5), t1, 2, null);
        SensorState olderReading = new SensorState(this.sensor, Status.CRITICAL, 98.0, t1, t2, 3, null);
        assertThat(this.cache.put(List.of(newer))).isEqualTo(1);
        assertThat(this.cache.put(List.of(olderSequence, olderReading))).isZero();
        assertThat(this.cache.find(this.sensor)).contains(newer);
        assertThat(this.cache.replace(List.of(olderSequence))).isEqualTo(1);
        assertThat(this.cache.find(this.sensor)).contains(olderSequence);
        this.cache.evict(this.sensor);
        assertThat(this.cache.find(this.sensor)).isEmpty();
    }

    @Test
    void aPendingStatusIsStoredAndCachedWithTheState() {
        Instant at = Instant.parse("2026-11-29T10:00:20.000001Z");
        SensorState.PendingStatus pending = new SensorState.PendingStatus(Status.WARNING, at.minusSeconds(20));
        SensorState waiting = new SensorState(this.sensor, Status.OK, 85.0, at, at.minusSeconds(600), 1, at, pending);
        this.transactions.executeWithoutResult(tx -> {
            this.store.lock(List.of(this.sensor));
            this.store.update(List.of(waiting));
        });
        assertThat(this.store.find(this.sensor)).contains(waiting);
        SensorState settled = new SensorState(this.sensor, Status.WARNING, 86.0, at.plusSeconds(10), at, 2, at, null);
        this.transactions.executeWithoutResult(tx -> {
            this.store.lock(List.of(this.sensor));
            this.store.update(List.of(settled));
        });
        assertThat(this.store.find(this.sensor)).contains(settled);

        SensorState cached = new SensorState(this.sensor, Status.OK, 85.0, at, at.minusSeconds(600), 1, null, pending);
        assertThat(this.cache.put(List.of(cached))).isEqualTo(1);
        assertThat(this.cache.find(this.sensor)).contains(cached);
        SensorState cachedSettled = new SensorState(this.sensor, Status.WARNING, 86.0, at.plusSeconds(10), at, 2, null,
                null);
        assertThat(this.cache.put(List.of(cachedSettled))).isEqualTo(1);
        assertThat(this.cache.find(this.sensor)).contains(cachedSettled);
    }

    @Test
    void cacheIsWrittenAfterCommit() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SensorState state = new SensorState(this.sensor, Status.OK, 5.0, now, now, 1, null);
        this.transactions.executeWithoutResult(tx -> {
            this.cache.putAfterCommit(List.of(state));
            assertThat(this.cache.find(this.sensor)).isEmpty();
        });
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(this.cache.find(this.sensor)).contains(state));
    }

    @Test
    void writesOfManyStatesAreBatchedOnTheSharedConnection() {
        Instant t = Instant.parse("2026-11-29T10:00:00.000001Z");
        List<SensorState> states = IntStream.range(0, SensorStateCache.BATCH * 2 + 7)
            .mapToObj(i -> new SensorState(this.sensor + "-" + i, Status.OK, (double) i, t, t, 1, null))
            .toList();
        long connectionsBefore = connectionsReceived();

        assertThat(this.cache.put(states)).isEqualTo(states.size());
        assertThat(this.cache.put(states)).as("same sequence and reading time: rewritten").isEqualTo(states.size());
        states.forEach(state -> this.cache
            .putAfterCommit(List.of(new SensorState(state.sensorId(), Status.WARNING, state.value(), t, t, 2, null))));

        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(this.cache.find(states.get(states.size() - 1).sensorId()))
                .hasValueSatisfying(cached -> assertThat(cached.sequence()).isEqualTo(2)));
        assertThat(states).allSatisfy(state -> assertThat(this.cache.find(state.sensorId()))
            .hasValueSatisfying(cached -> assertThat(cached.value()).isEqualTo(state.value())));
        assertThat(connectionsReceived() - connectionsBefore)
            .as("one connection serves every write, not one per batch (another process may connect meanwhile)")
            .isLessThan(50);
    }

    private long connectionsReceived() {
        Properties stats = this.redis
            .execute((RedisCallback<Properties>) connection -> connection.serverCommands().info("stats"));
        return Long.parseLong(stats.getProperty("total_connections_received"));
    }

}
