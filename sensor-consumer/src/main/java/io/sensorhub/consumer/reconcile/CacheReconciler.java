package io.sensorhub.consumer.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Compares every cached sensor state with {@code sensor_state} and repairs the entries
 * that differ. A missing or older entry is written through the cache's monotonic put (a
 * concurrent ingest with a newer state wins); an entry ahead of the database is
 * re-checked against a fresh read and only then overwritten.
 */
class CacheReconciler {

    private static final Logger log = LoggerFactory.getLogger(CacheReconciler.class);

    private final JdbcTemplate jdbc;

    private final SensorStateStore store;

    private final SensorStateCache cache;

    private final int pageSize;

    private final Counter repairs;

    CacheReconciler(JdbcTemplate jdbc, SensorStateStore store, SensorStateCache cache, int pageSize,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.store = store;
        this.cache = cache;
        this.pageSize = pageSize;
        this.repairs = Counter.builder("sensorhub.cache.reconcile.repairs")
            .description("Redis state entries repaired because they differed from sensor_state")
            .register(meters);
    }

    /**
     * One full pass; answers the number of entries repaired. Throws when Redis or the
     * database fails.
     */
    int reconcile() {
        int repaired = 0;
        String after = "";
        List<String> ids;
        do {
            ids = this.jdbc.queryForList(
                    "SELECT sensor_id FROM sensor_state WHERE sensor_id > ? ORDER BY sensor_id LIMIT ?", String.class,
                    after, this.pageSize);
            if (!ids.isEmpty()) {
                repaired += reconcilePage(ids);
                after = ids.get(ids.size() - 1);
            }
        }
        while (ids.size() == this.pageSize);
        this.repairs.increment(repaired);
        if (repaired > 0) {
            log.info("Reconciliation repaired {} Redis state entries", repaired);
        }
        return repaired;
    }

    private int reconcilePage(List<String> ids) {
        Map<String, SensorState> truth = this.store.findAll(ids);
        List<SensorState> behind = new ArrayList<>();
        List<String> ahead = new ArrayList<>();
        for (SensorState state : truth.values()) {
            Optional<SensorState> cached = this.cache.find(state.sensorId());
            if (cached.isEmpty() || !same(cached.get(), state)) {
                if (cached.isEmpty() || state.notOlderThan(cached.get())) {
                    behind.add(state);
                }
                else {
                    ahead.add(state.sensorId());
                }
            }
        }
        int repaired = behind.isEmpty() ? 0 : this.cache.put(behind);
        return repaired + repairAhead(ahead);
    }

    /**
     * Entries newer than the database: overwritten only if a fresh read still disagrees.
     */
    private int repairAhead(List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        List<SensorState> stale = new ArrayList<>();
        for (SensorState fresh : this.store.findAll(ids).values()) {
            Optional<SensorState> cached = this.cache.find(fresh.sensorId());
            if (cached.isPresent() && !same(cached.get(), fresh) && !fresh.notOlderThan(cached.get())) {
                stale.add(fresh);
            }
        }
        return stale.isEmpty() ? 0 : this.cache.replace(stale);
    }

    /** Equal as far as the cache holds a state (it does not hold {@code lastSeenAt}). */
    static boolean same(SensorState cached, SensorState truth) {
        return cached.status() == truth.status() && cached.sequence() == truth.sequence()
                && Objects.equals(cached.value(), truth.value())
                && Objects.equals(cached.reportedAt(), truth.reportedAt())
                && Objects.equals(cached.since(), truth.since()) && Objects.equals(cached.pending(), truth.pending());
    }

}
