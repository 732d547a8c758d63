package io.sensorhub.crud.sensors;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.crud.cache.CacheProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * crud-service's in-memory copy of the sensor states it has read from Redis, kept exact
 * by Redis's server-assisted client-side caching. A connection of its own reads the state
 * hashes with {@code CLIENT TRACKING} on, and Redis pushes an invalidation on that
 * connection as soon as a key it read changes (a reading, the OFFLINE watchdog, a
 * delete), so a dashboard polling its sensors costs no Redis round trip and still sees
 * each change at once.
 * <p>
 * An answer is kept only if no invalidation of its key and no disconnection came between
 * sending the read and keeping the answer (a placeholder put before the read must still
 * be there, and the connection epoch unchanged). While the connection is down, or
 * tracking is not available (RESP2-only servers), nothing is kept and every read goes to
 * Redis through the shared {@link SensorStateCache}, as without this class. The tracking
 * connection reconnects by itself; tracking is turned on again before anything is kept.
 */
@Component
class NearStateCache implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NearStateCache.class);

    private static final Duration RETRY = Duration.ofSeconds(5);

    /**
     * Set on the tracking connection, so operators (and tests) can find it in
     * {@code CLIENT LIST}.
     */
    static final String CONNECTION_NAME = "sensorhub-crud-state-tracking";

    private final LettuceConnectionFactory factory;

    private final SensorStateCache redis;

    private final int maxEntries;

    /**
     * Sensor id to its state, or to the {@link Loading} placeholder of a read in flight.
     */
    private final Map<String, Object> entries = new ConcurrentHashMap<>();

    /** Bumped on every disconnection: a read sent before it must not be kept. */
    private final AtomicLong epoch = new AtomicLong();

    private final Counter hits;

    private final Counter misses;

    private final Listener listener = new Listener();

    /**
     * Connects and turns tracking on, off the request threads and the connection's event
     * loop.
     */
    private volatile ScheduledExecutorService connector;

    private volatile StatefulRedisConnection<String, String> connection;

    private volatile boolean tracking;

    private volatile boolean running;

    /**
     * Failed attempts to turn tracking on since it last worked (touched by the connector
     * thread only).
     */
    private int trackingFailures;

    /**
     * What a read in flight leaves in the map; an invalidation replacing or removing it
     * voids the read.
     */
    private record Loading(long epoch) {
    }

    NearStateCache(LettuceConnectionFactory factory, SensorStateCache redis, CacheProperties properties,
            MeterRegistry meters) {
        this.factory = factory;
        this.redis = redis;
        this.maxEntries = properties.maxEntries();
        this.hits = Counter.builder("sensorhub.cache.near.requests")
            .tag("result", "hit")
            .description("Sensor state reads answered from crud-service's tracked in-memory copy, or sent to Redis")
            .register(meters);
        this.misses = Counter.builder("sensorhub.cache.near.requests").tag("result", "miss").register(meters);
    }

    /**
     * The sensor's state as Redis holds it; empty when Redis has none or fails (the
     * caller asks PostgreSQL).
     */
    Optional<SensorState> find(String sensorId) {
        StatefulRedisConnection<String, String> tracked = this.connection;
        if (!this.tracking || tracked == null) {
            return this.redis.find(sensorId);
        }
        if (this.entries.get(sensorId) instanceof SensorState state) {
            this.hits.increment();
            return Optional.of(state);
        }
        this.misses.increment();
        return read(tracked, sensorId);
    }

    /**
     * Forgets a state at once (this instance deleted the sensor; Redis's invalidation
     * follows).
     */
    void invalidate(String sensorId) {
        this.entries.remove(sensorId);
    }

    /** Whether states are being kept (tracking is on); for tests and the log. */
    boolean isTracking() {
        return this.tracking;
    }

    /** The Redis client id of the tracking connection (for tests that cut it). */
    long connectionId() {
        return this.connection.sync().clientId();
    }

    private Optional<SensorState> read(StatefulRedisConnection<String, String> tracked, String sensorId) {
        if (this.entries.size() >= this.maxEntries) {
            this.entries.clear();
        }
        Loading loading = new Loading(this.epoch.get());
        this.entries.put(sensorId, loading);
        Optional<SensorState> read = this.redis.find(sensorId, key -> tracked.sync().hgetall(key));
        if (read.isEmpty()) {
            this.entries.remove(sensorId, loading);
            return read;
        }
        SensorState state = read.get();
        if (this.entries.replace(sensorId, loading, state) && (!this.tracking || this.epoch.get() != loading.epoch())) {
            this.entries.remove(sensorId, state);
        }
        return read;
    }

    @Override
    public void start() {
        this.running = true;
        this.connector = Executors.newSingleThreadScheduledExecutor(Threads.named("state-tracking"));
        this.connector.execute(this::connect);
    }

    @Override
    public void stop() {
        this.running = false;
        this.connector.shutdownNow();
        stopTracking();
        StatefulRedisConnection<String, String> current = this.connection;
        this.connection = null;
        if (current != null) {
            current.close();
        }
        if (this.factory.getNativeClient() != null) {
            this.factory.getNativeClient().removeListener((RedisConnectionStateListener) this.listener);
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Opens the tracking connection (retrying while Redis is unreachable) and turns
     * tracking on.
     */
    private void connect() {
        if (!this.running) {
            return;
        }
        AbstractRedisClient client = this.factory.getNativeClient();
        if (client == null) { // the connection factory has not started yet
            this.connector.schedule(this::connect, RETRY.toSeconds(), TimeUnit.SECONDS);
            return;
        }
        if (!(client instanceof RedisClient standalone)) {
            log.info("Sensor states are not kept in memory: tracking needs a standalone Redis client");
            return;
        }
        StatefulRedisConnection<String, String> opened;
        try {
            opened = standalone.connect(StringCodec.UTF8);
        }
        catch (RuntimeException ex) {
            log.info("Sensor states are not kept in memory yet ({}); retrying in {} s", ex.getMessage(),
                    RETRY.toSeconds());
            this.connector.schedule(this::connect, RETRY.toSeconds(), TimeUnit.SECONDS);
            return;
        }
        opened.setTimeout(Duration.ofMillis(this.factory.getTimeout()));
        opened.addListener((PushListener) this.listener);
        client.addListener((RedisConnectionStateListener) this.listener);
        this.connection = opened;
        startTracking();
    }

    /**
     * Turns tracking on for the current connection; keeping states starts only if no
     * disconnection came meanwhile.
     */
    private void startTracking() {
        StatefulRedisConnection<String, String> current = this.connection;
        if (current == null || !this.running) {
            return;
        }
        long epochBefore = this.epoch.get();
        try {
            current.sync().clientSetname(CONNECTION_NAME);
            current.sync().clientTracking(TrackingArgs.Builder.enabled());
        }
        catch (RuntimeException ex) {
            if (this.trackingFailures++ == 0) {
                log.info("Sensor states are not kept in memory: CLIENT TRACKING failed ({}); retrying every {} s",
                        ex.getMessage(), RETRY.toSeconds());
            }
            this.connector.schedule(this::startTracking, RETRY.toSeconds(), TimeUnit.SECONDS);
            return;
        }
        this.trackingFailures = 0;
        synchronized (this) {
            if (this.epoch.get() == epochBefore) {
                this.tracking = true;
            }
        }
    }

    private void stopTracking() {
        synchronized (this) {
            this.tracking = false;
            this.epoch.incrementAndGet();
        }
        this.entries.clear();
    }

    /**
     * Invalidations pushed by Redis, and the tracking connection's disconnections and
     * reconnections.
     */
    private final class Listener implements PushListener, RedisConnectionStateListener {

        @Override
        public void onPushMessage(PushMessage message) {
            if (!"invalidate".equals(message.getType())) {
                return;
            }
            List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
            if (content.size() < 2 || !(content.get(1) instanceof List<?> keys)) {
                // No key list: Redis flushed its data, so forget everything, reads in
                // flight included.
                NearStateCache.this.epoch.incrementAndGet();
                NearStateCache.this.entries.clear();
                return;
            }
            String prefix = NearStateCache.this.redis.keyPrefix();
            for (Object key : keys) {
                if (key instanceof String name && name.startsWith(prefix)) {
                    NearStateCache.this.entries.remove(name.substring(prefix.length()));
                }
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (handler == NearStateCache.this.connection) {
                stopTracking();
            }
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            if (handler == NearStateCache.this.connection) {
                reenable();
            }
        }

        /**
         * Never block the connection's event loop: tracking is turned on from the
         * connector thread.
         */
        private void reenable() {
            try {
                NearStateCache.this.connector.execute(NearStateCache.this::startTracking);
            }
            catch (RejectedExecutionException ex) {
                // stopping: nothing to turn on
            }
        }

    }

}
