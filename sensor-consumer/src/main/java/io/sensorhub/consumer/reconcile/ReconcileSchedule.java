package io.sensorhub.consumer.reconcile;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs {@link CacheReconciler} every {@code interval}, and at once when a ping finds
 * Redis back after it was unreachable. One background thread, from {@link #start} to
 * {@link #stop}: Redis being down never touches the ingest.
 */
class ReconcileSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReconcileSchedule.class);

    private final CacheReconciler reconciler;

    private final StringRedisTemplate redis;

    private final ReconcileProperties properties;

    private final AtomicBoolean up = new AtomicBoolean(true);

    /** Null when stopped. */
    private volatile ScheduledExecutorService executor;

    private volatile Instant due = Instant.MIN;

    ReconcileSchedule(CacheReconciler reconciler, StringRedisTemplate redis, ReconcileProperties properties,
            MeterRegistry meters) {
        this.reconciler = reconciler;
        this.redis = redis;
        this.properties = properties;
        Gauge.builder("sensorhub.cache.redis.up", this.up, flag -> flag.get() ? 1 : 0)
            .description("Whether the last ping reached Redis")
            .register(meters);
    }

    @Override
    public synchronized void start() {
        this.executor = Executors.newSingleThreadScheduledExecutor(Threads.named("cache-reconcile"));
        long probe = this.properties.probeInterval().toMillis();
        this.executor.scheduleWithFixedDelay(this::tick, 0, probe, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        this.executor.shutdownNow();
        this.executor = null;
    }

    @Override
    public boolean isRunning() {
        return this.executor != null;
    }

    /**
     * Pings Redis; reconciles when due or when Redis just came back. Never throws (the
     * schedule would stop).
     */
    void tick() {
        try {
            if (!ping()) {
                if (this.up.compareAndSet(true, false)) {
                    log.warn("Redis is unreachable; the state cache will be reconciled when it is back");
                }
                return;
            }
            boolean recovered = this.up.compareAndSet(false, true);
            if (recovered || !Instant.now().isBefore(this.due)) {
                this.reconciler.reconcile();
                this.due = Instant.now().plus(this.properties.interval());
            }
        }
        catch (RuntimeException ex) {
            this.up.set(false);
            log.warn("Cache reconciliation failed, retried when Redis answers again: {}", ex.toString());
        }
    }

    private boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(this.redis.execute((RedisCallback<String>) RedisConnection::ping));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

}
