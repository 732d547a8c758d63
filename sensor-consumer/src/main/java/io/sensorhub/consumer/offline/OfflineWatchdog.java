package io.sensorhub.consumer.offline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.state.StatusChangeRecorder;
import io.sensorhub.consumer.status.StatusRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Marks silent sensors OFFLINE ({@link StatusRules#goesOffline}). Candidates are found
 * without locks; each is then locked through {@link SensorStateStore#lock} (the same row
 * lock, in the same order, as the ingest) and checked again under the lock, so a reading
 * that arrives at the same moment either lands first (no OFFLINE) or after (its change
 * follows OFFLINE with the next sequence): never lost, never a gap. The change is
 * recorded by the one {@link StatusChangeRecorder} (status_changes, outbox, NOTIFY), the
 * state updated, and the Redis cache written after commit. Safe with several instances:
 * the second finds the sensor OFFLINE under the lock, so a sensor goes OFFLINE once
 * however many instances look.
 */
class OfflineWatchdog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OfflineWatchdog.class);

    private static final String CANDIDATES = """
            SELECT st.sensor_id, s.heartbeat_seconds FROM sensor_state st JOIN sensors s ON s.id = st.sensor_id
            WHERE st.status NOT IN ('UNKNOWN', 'OFFLINE')
              AND st.last_seen_at < now() - interval '5 seconds'
              AND st.last_seen_at <= now() - make_interval(secs => s.heartbeat_seconds)
            ORDER BY st.last_seen_at
            LIMIT ?""";

    private final WatchdogProperties properties;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final SensorStateStore store;

    private final StatusChangeRecorder recorder;

    private final SensorStateCache cache;

    private final Counter offline;

    private ScheduledExecutorService scheduler;

    OfflineWatchdog(WatchdogProperties properties, JdbcClient jdbc, TransactionTemplate transactions,
            SensorStateStore store, StatusChangeRecorder recorder, SensorStateCache cache, MeterRegistry registry) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.store = store;
        this.recorder = recorder;
        this.cache = cache;
        this.offline = Counter.builder("sensorhub.watchdog.offline")
            .description("Sensors marked OFFLINE")
            .register(registry);
    }

    /** One pass: marks every silent sensor OFFLINE (in batches); answers how many. */
    public int runOnce() {
        int total = 0;
        int marked;
        do {
            Map<String, Integer> candidates = candidates();
            if (candidates.isEmpty()) {
                break;
            }
            marked = markOffline(candidates);
            total += marked;
            if (candidates.size() < this.properties.batchSize()) {
                break;
            }
        }
        while (marked > 0);
        return total;
    }

    private Map<String, Integer> candidates() {
        Map<String, Integer> heartbeats = new LinkedHashMap<>();
        this.jdbc.sql(CANDIDATES)
            .param(this.properties.batchSize())
            .query((rows, n) -> heartbeats.put(rows.getString(1), rows.getInt(2)))
            .list();
        return heartbeats;
    }

    private int markOffline(Map<String, Integer> heartbeats) {
        Integer marked = this.transactions.execute(status -> {
            Instant now = Instant.now();
            List<StatusChange> changes = new ArrayList<>();
            List<SensorState> states = new ArrayList<>();
            this.store.lock(heartbeats.keySet()).forEach((sensorId, current) -> {
                if (StatusRules.goesOffline(current, heartbeats.get(sensorId), now)) {
                    StatusRules.Decision offline = StatusRules.offline(current, now);
                    changes.add(offline.change());
                    states.add(offline.state());
                }
            });
            this.recorder.record(changes);
            this.store.update(states);
            this.cache.putAfterCommit(states);
            return changes.size();
        });
        int count = (marked != null) ? marked : 0;
        this.offline.increment(count);
        return count;
    }

    @Override
    public void start() {
        if (!this.properties.enabled()) {
            return;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.named("offline-watchdog"));
        long period = this.properties.interval().toMillis();
        this.scheduler.scheduleWithFixedDelay(this::runQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private void runQuietly() {
        try {
            int marked = runOnce();
            if (marked > 0) {
                log.debug("{} sensor(s) marked OFFLINE", marked);
            }
        }
        catch (RuntimeException ex) {
            log.warn("OFFLINE watchdog pass failed, retrying next interval: {}", ex.toString());
        }
    }

    @Override
    public void stop() {
        if (this.scheduler != null) {
            this.scheduler.shutdownNow();
            this.scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return this.scheduler != null;
    }

}
