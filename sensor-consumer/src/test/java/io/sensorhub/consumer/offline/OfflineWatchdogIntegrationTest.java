package io.sensorhub.consumer.offline;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.state.StatusChangeRecorder;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OFFLINE detection in sensor-consumer against real PostgreSQL, RabbitMQ and Redis: a
 * sensor that falls silent after real readings, and readings racing two watchdogs.
 */
@SpringBootTest
class OfflineWatchdogIntegrationTest {

    private static ReadingPublisher publisher;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private SensorStateStore store;

    @Autowired
    private StatusChangeRecorder recorder;

    @Autowired
    private SensorStateCache cache;

    @Autowired
    private OfflineWatchdog watchdog;

    @Autowired
    private MeterRegistry meters;

    @BeforeAll
    static void connect() {
        publisher = new ReadingPublisher(TestServices.get().amqpPrefix());
    }

    @AfterAll
    static void disconnect() {
        publisher.close();
    }

    @Test
    void aSensorThatStopsReportingGoesOfflineExactlyOnceAfterItsHeartbeatAndItsNextReadingBringsItBack()
            throws Exception {
        String sensor = Sensors.sensor().heartbeat(5).create("silent");
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publisher.publish(sensor, reading(sensor, first, 20.0));

        await().atMost(Duration.ofSeconds(30))
            .until(() -> this.store.find(sensor).map(SensorState::status).orElse(null) == Status.OFFLINE);
        // more watchdog passes (every second), none of which may mark it again
        Thread.sleep(2500);

        List<Map<String, Object>> changes = statusChanges(sensor);
        assertThat(changes).extracting(c -> c.get("status")).containsExactly("OK", "OFFLINE");
        Map<String, Object> offline = changes.get(1);
        assertThat(offline.get("sequence")).isEqualTo(2L);
        assertThat(offline.get("previous_status")).isEqualTo("OK");
        assertThat(offline.get("value")).isNull();
        assertThat(offline.get("reported_at")).isNull();
        SensorState state = this.store.find(sensor).orElseThrow();
        Duration silence = Duration.between(state.lastSeenAt(), ((Timestamp) offline.get("changed_at")).toInstant());
        // never before the heartbeat has passed (how soon after it is a figure for a
        // quiet machine, not a test)
        assertThat(silence).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(state.sequence()).isEqualTo(2);
        assertThat(state.value()).isEqualTo(20.0);
        assertThat(state.reportedAt()).isEqualTo(first);
        // notifier-job turns the outbox into deliveries, as for any other change
        assertThat(this.jdbc.sql("SELECT sequence FROM status_change_outbox WHERE sensor_id = ? ORDER BY sequence")
            .param(sensor)
            .query(Long.class)
            .list()).containsExactly(1L, 2L);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> this.cache.find(sensor).map(SensorState::status).orElse(null) == Status.OFFLINE);
        // every application context of this JVM runs a watchdog, as every instance does
        // in
        // production: whichever sees the sensor first marks it, and counts it
        assertThat(this.meters.find("sensorhub.watchdog.offline").counter()).isNotNull();

        publisher.publish(sensor, reading(sensor, first.plusSeconds(1), 21.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> statusChanges(sensor).size() == 3);
        Map<String, Object> back = statusChanges(sensor).get(2);
        assertThat(back).containsEntry("sequence", 3L)
            .containsEntry("previous_status", "OFFLINE")
            .containsEntry("status", "OK");
    }

    @Test
    void readingsRacingTheWatchdogNeverLoseAChangeOrLeaveASequenceGap() throws Exception {
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sensors.add(Sensors.sensor().heartbeat(5).create("race-" + i));
            read(sensors.get(i), Status.OK);
        }
        String[] ids = sensors.toArray(String[]::new);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 8; round++) {
                this.jdbc
                    .sql("UPDATE sensor_state SET last_seen_at = now() - interval '6 seconds' WHERE sensor_id = ANY(?)")
                    .param(ids)
                    .update();
                Status reading = (round % 2 == 0) ? Status.WARNING : Status.CRITICAL;
                CompletableFuture<?> consumer = CompletableFuture.runAsync(() -> sensors.forEach(s -> read(s, reading)),
                        threads);
                CompletableFuture<?> watchdogA = CompletableFuture.runAsync(this.watchdog::runOnce, threads);
                CompletableFuture<?> watchdogB = CompletableFuture.runAsync(this.watchdog::runOnce, threads);
                CompletableFuture.allOf(consumer, watchdogA, watchdogB).get();
            }
        }
        finally {
            threads.shutdownNow();
        }

        // one snapshot per sensor: the scheduled watchdog may still mark it OFFLINE
        TransactionTemplate snapshot = new TransactionTemplate(this.transactions.getTransactionManager());
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        for (String sensor : sensors) {
            List<Map<String, Object>> changes = new ArrayList<>();
            SensorState state = snapshot.execute(tx -> {
                changes.addAll(statusChanges(sensor));
                return this.store.find(sensor).orElseThrow();
            });
            assertThat(changes).as(sensor).hasSizeGreaterThanOrEqualTo(9);
            for (int i = 0; i < changes.size(); i++) {
                assertThat(changes.get(i).get("sequence")).as("%s gap-free", sensor).isEqualTo((long) i + 1);
                if (i > 0) {
                    assertThat(changes.get(i).get("previous_status")).as("%s chain", sensor)
                        .isEqualTo(changes.get(i - 1).get("status"));
                    assertThat(changes.get(i).get("status")).as("%s no repeated status", sensor)
                        .isNotEqualTo(changes.get(i - 1).get("status"));
                }
            }
            assertThat(state.sequence()).isEqualTo(changes.size());
            assertThat(state.status().name()).isEqualTo(changes.get(changes.size() - 1).get("status"));
        }
    }

    /**
     * A reading recorded as the ingest records one: lock, compare, record a change if the
     * status differs, update.
     */
    private void read(String sensor, Status status) {
        this.transactions.executeWithoutResult(tx -> {
            SensorState current = this.store.lock(List.of(sensor)).get(sensor);
            Instant now = Instant.now();
            long sequence = current.sequence();
            Instant since = current.since();
            if (current.status() != status) {
                StatusChange change = StatusChange.after(current, status, 2.0, now, now);
                this.recorder.record(List.of(change));
                sequence = change.sequence();
                since = now;
            }
            this.store.update(List.of(new SensorState(sensor, status, 2.0, now, since, sequence, now)));
        });
    }

    private List<Map<String, Object>> statusChanges(String sensor) {
        return this.jdbc.sql("SELECT * FROM status_changes WHERE sensor_id = ? ORDER BY sequence")
            .param(sensor)
            .query()
            .listOfRows();
    }

}
