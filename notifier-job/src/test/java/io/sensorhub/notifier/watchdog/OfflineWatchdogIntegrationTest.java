package io.sensorhub.notifier.watchdog;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.state.StatusChangeRecorder;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OFFLINE detection against real PostgreSQL and Redis, racing readings recorded the way
 * sensor-consumer does.
 */
@NotifierIntegrationTest
class OfflineWatchdogIntegrationTest extends ReceiverTestSupport {

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

    @Test
    void aSensorThatStopsReportingGoesOfflineExactlyOnceWithinFiveSecondsOfItsHeartbeat() throws Exception {
        String secret = TestData.secret();
        String sensor = this.data.sensor("silent-1", 5);
        this.data.webhook(this.receiver.url(), secret);
        this.data.change(sensor, Status.OK, 20.0);

        await().atMost(Duration.ofSeconds(15))
            .until(() -> this.store.find(sensor).orElseThrow().status() == Status.OFFLINE);
        sleep(1500);

        List<Map<String, Object>> changes = statusChanges(sensor);
        assertThat(changes).extracting(c -> c.get("status")).containsExactly("OK", "OFFLINE");
        Map<String, Object> offline = changes.get(1);
        assertThat(offline.get("sequence")).isEqualTo(2L);
        assertThat(offline.get("previous_status")).isEqualTo("OK");
        assertThat(offline.get("value")).isNull();
        SensorState state = this.store.find(sensor).orElseThrow();
        Duration silence = Duration.between(state.lastSeenAt(), ((Timestamp) offline.get("changed_at")).toInstant());
        // never before the heartbeat has passed (how soon after it is a figure for a
        // quiet machine, not a test)
        assertThat(silence).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(state.sequence()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> this.cache.find(sensor).map(SensorState::status).orElse(null) == Status.OFFLINE);

        await().atMost(Duration.ofSeconds(30)).until(() -> this.receiver.requests().size() == 2);
        JsonNode event = JsonMapper.shared().readTree(this.receiver.requests().get(1).body()).get("data");
        assertThat(event.get("status").asString()).isEqualTo("OFFLINE");
        assertThat(event.get("previousStatus").asString()).isEqualTo("OK");
        assertThat(event.get("sequence").asLong()).isEqualTo(2);
        assertThat(event.get("value").isNull()).isTrue();
        this.receiver.assertAllSignedWith(secret);
    }

    @Test
    void readingsRacingTheWatchdogNeverLoseAChangeOrLeaveASequenceGap() throws Exception {
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sensors.add(this.data.sensor("race-" + i, 5));
            this.data.change(sensors.get(i), Status.OK, 1.0);
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 8; round++) {
                this.jdbc.sql(
                        "UPDATE sensor_state SET last_seen_at = now() - interval '6 seconds' WHERE sensor_id LIKE 'race-%'")
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

        for (String sensor : sensors) {
            List<Map<String, Object>> changes = statusChanges(sensor);
            SensorState state = this.store.find(sensor).orElseThrow();
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
     * A reading recorded as sensor-consumer does: lock, compare, record a change if the
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

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

}
