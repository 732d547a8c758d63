package io.sensorhub.common.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.AfterCommit;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.status.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis cache of each sensor's current state (docs/architecture.md): a hash per
 * sensor at {@code <prefix>state:<sensorId>} with fields
 * {@code status, value, reportedAt, since, seq, rts, pendingStatus, pendingSince} (the
 * last two empty when nothing is pending).
 * <p>
 * Writes are applied by a Lua script that refuses a state older than the cached one
 * (lower sequence, or the same sequence with an older reading timestamp), so a late
 * writer never moves the cache backwards. Writes after a commit are queued to one
 * background thread: Redis being slow or down never slows the caller; what could not be
 * written is repaired by reconciliation against {@code sensor_state}. Reads never throw:
 * a Redis failure answers empty and the caller falls back to PostgreSQL.
 * <p>
 * The background writer runs between {@link #start} and {@link #stop}, in a lifecycle
 * phase of its own ({@link #getPhase}): it starts before whatever writes to this cache
 * and stops after it, so what they queued is written, and before the Redis connection
 * factory (phase 0) it writes through.
 */
public class SensorStateCache implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SensorStateCache.class);

    /**
     * Writes many states in one call: {@code ARGV[1]} is {@code force} or
     * {@code ifNewer}, then eight arguments per key (sequence, reading time in
     * microseconds, status, value, reportedAt, since, pendingStatus, pendingSince).
     * Answers how many it wrote.
     */
    private static final byte[] PUT_IF_NOT_OLDER = """
            local written = 0
            for i, key in ipairs(KEYS) do
              local a = 1 + (i - 1) * 8
              local cur = redis.call('HMGET', key, 'seq', 'rts')
              local older = false
              if ARGV[1] ~= 'force' and cur[1] then
                local cseq, nseq = tonumber(cur[1]), tonumber(ARGV[a + 1])
                older = nseq < cseq or (nseq == cseq and tonumber(ARGV[a + 2]) < tonumber(cur[2]))
              end
              if not older then
                redis.call('HSET', key, 'seq', ARGV[a + 1], 'rts', ARGV[a + 2], 'status', ARGV[a + 3],
                           'value', ARGV[a + 4], 'reportedAt', ARGV[a + 5], 'since', ARGV[a + 6],
                           'pendingStatus', ARGV[a + 7], 'pendingSince', ARGV[a + 8])
                written = written + 1
              end
            end
            return written""".getBytes(StandardCharsets.UTF_8);

    /**
     * States per script call: one round trip each, and Redis is never busy with one call
     * for long.
     */
    static final int BATCH = 500;

    private static final Duration POLL = Duration.ofMillis(200);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Below the services' own lifecycles (the web server, listener containers and loops
     * have phases near {@link SmartLifecycle#DEFAULT_PHASE}), above the Redis connection
     * factory (0).
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE / 2;

    private final StringRedisTemplate redis;

    /**
     * The script's SHA1 once loaded in Redis (writes then send it rather than the
     * script's text); null before.
     */
    private volatile String scriptSha;

    private final String prefix;

    /** States waiting for the background writer, oldest first. */
    private final BlockingQueue<SensorState> pending;

    private volatile Thread writer;

    private volatile boolean closed = true;

    private final Counter failures;

    private final Counter dropped;

    public SensorStateCache(StringRedisTemplate redis, String keyPrefix, int writeQueueCapacity, MeterRegistry meters) {
        this.redis = redis;
        this.prefix = keyPrefix + "state:";
        this.pending = new ArrayBlockingQueue<>(writeQueueCapacity);
        this.failures = Counter.builder("sensorhub.cache.failures")
            .description("Redis state cache operations that failed")
            .register(meters);
        this.dropped = Counter.builder("sensorhub.cache.writes.dropped")
            .description("State cache writes dropped because the write queue was full (repaired by reconciliation)")
            .register(meters);
    }

    /**
     * The cached state of a sensor; empty when not cached or when Redis fails. Never
     * throws.
     */
    public Optional<SensorState> find(String sensorId) {
        return find(sensorId, key -> this.redis.opsForHash().entries(key));
    }

    /**
     * The cached state of a sensor, its hash read by {@code hgetall} (given the key),
     * e.g. over a connection of the caller's own; empty when not cached or when the read
     * fails (counted like any cache failure). Never throws.
     */
    public Optional<SensorState> find(String sensorId, Function<String, Map<?, ?>> hgetall) {
        try {
            Map<?, ?> fields = hgetall.apply(key(sensorId));
            return fields.isEmpty() ? Optional.empty() : Optional.of(fromHash(sensorId, fields));
        }
        catch (RuntimeException ex) {
            failed("read", ex);
            return Optional.empty();
        }
    }

    /**
     * Writes these states unless the cache holds newer ones; answers how many were
     * written. Throws when Redis fails (for reconciliation, which must know).
     */
    public int put(Collection<SensorState> states) {
        return write(states, false);
    }

    /**
     * Overwrites these states whatever the cache holds (reconciliation repairing an entry
     * ahead of the truth).
     */
    public int replace(Collection<SensorState> states) {
        return write(states, true);
    }

    /** Removes a sensor's entry (the sensor was deleted). Never throws. */
    public void evict(String sensorId) {
        try {
            this.redis.delete(key(sensorId));
        }
        catch (RuntimeException ex) {
            failed("evict", ex);
        }
    }

    /**
     * Writes these states once the current transaction commits (at once when there is
     * none), on the background writer. Never blocks on Redis and never throws.
     */
    public void putAfterCommit(Collection<SensorState> states) {
        if (states.isEmpty()) {
            return;
        }
        List<SensorState> copy = List.copyOf(states);
        AfterCommit.run(() -> enqueue(copy));
    }

    /** The Redis key of a sensor's state. */
    public String key(String sensorId) {
        return this.prefix + sensorId;
    }

    /** The prefix of every state key, for scans. */
    public String keyPrefix() {
        return this.prefix;
    }

    /** Starts the background writer. */
    @Override
    public synchronized void start() {
        if (!this.closed) {
            return;
        }
        this.closed = false;
        this.writer = Threads.start("state-cache-writer", this::writeInBackground);
    }

    /**
     * Stops the background writer once it has written what is queued (waiting a few
     * seconds at most). What is queued after that waits for the next {@link #start}.
     */
    @Override
    public synchronized void stop() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        try {
            this.writer.join(CLOSE_TIMEOUT.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.writer.interrupt();
    }

    @Override
    public boolean isRunning() {
        return !this.closed;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void enqueue(List<SensorState> states) {
        for (SensorState state : states) {
            if (!this.pending.offer(state)) {
                this.dropped.increment();
            }
        }
    }

    /**
     * The background writer: takes whatever is queued, up to {@link #BATCH} states, and
     * writes it in one call, so a burst of writes costs a few round trips, not one each.
     */
    private void writeInBackground() {
        List<SensorState> batch = new ArrayList<>(BATCH);
        while (!this.closed || !this.pending.isEmpty()) {
            try {
                SensorState first = this.pending.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                this.pending.drainTo(batch, BATCH - 1);
                write(batch, false);
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (RuntimeException ex) {
                failed("write", ex);
            }
            finally {
                batch.clear();
            }
        }
    }

    /**
     * Writes in calls of at most {@link #BATCH} states. The script goes by its SHA1
     * (EVALSHA: Redis need not receive and hash its text per call); when Redis does not
     * know it (first use, a restart), it is loaded and the call retried once. One command
     * per call, so the shared connection serves it: no connection per write.
     */
    private int write(Collection<SensorState> states, boolean force) {
        List<SensorState> all = List.copyOf(states);
        int written = 0;
        for (int from = 0; from < all.size(); from += BATCH) {
            List<SensorState> chunk = all.subList(from, Math.min(all.size(), from + BATCH));
            try {
                written += writeChunk(chunk, force);
            }
            catch (RuntimeException ex) {
                this.scriptSha = null;
                written += writeChunk(chunk, force);
            }
        }
        return written;
    }

    private int writeChunk(List<SensorState> states, boolean force) {
        if (this.scriptSha == null) {
            this.scriptSha = this.redis.execute(
                    (RedisCallback<String>) connection -> connection.scriptingCommands().scriptLoad(PUT_IF_NOT_OLDER));
        }
        String sha = this.scriptSha;
        byte[][] keysAndArgs = new byte[states.size() * 9 + 1][];
        int k = 0;
        int a = states.size();
        keysAndArgs[a++] = bytes(force ? "force" : "ifNewer");
        for (SensorState state : states) {
            keysAndArgs[k++] = bytes(key(state.sensorId()));
            keysAndArgs[a++] = bytes(Long.toString(state.sequence()));
            keysAndArgs[a++] = bytes(Long.toString(state.reportedAtMicros()));
            keysAndArgs[a++] = bytes(state.status().name());
            keysAndArgs[a++] = bytes(text(state.value()));
            keysAndArgs[a++] = bytes(text(state.reportedAt()));
            keysAndArgs[a++] = bytes(text(state.since()));
            keysAndArgs[a++] = bytes((state.pending() != null) ? state.pending().status().name() : "");
            keysAndArgs[a++] = bytes((state.pending() != null) ? text(state.pending().since()) : "");
        }
        Long written = this.redis.execute((RedisCallback<Long>) connection -> connection.scriptingCommands()
            .evalSha(sha, ReturnType.INTEGER, states.size(), keysAndArgs));
        return (written != null) ? written.intValue() : 0;
    }

    private static SensorState fromHash(String sensorId, Map<?, ?> fields) {
        return new SensorState(sensorId, Status.valueOf((String) fields.get("status")),
                parse((String) fields.get("value"), Double::valueOf),
                parse((String) fields.get("reportedAt"), Instant::parse),
                parse((String) fields.get("since"), Instant::parse), Long.parseLong((String) fields.get("seq")), null,
                pending(fields));
    }

    /** Absent in entries written before pending statuses existed: read as none. */
    private static SensorState.PendingStatus pending(Map<?, ?> fields) {
        Status status = parse((String) fields.get("pendingStatus"), Status::valueOf);
        return (status != null)
                ? new SensorState.PendingStatus(status, parse((String) fields.get("pendingSince"), Instant::parse))
                : null;
    }

    private static <T> T parse(String text, java.util.function.Function<String, T> parser) {
        return (text == null || text.isEmpty()) ? null : parser.apply(text);
    }

    private static String text(Object value) {
        return (value != null) ? value.toString() : "";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void failed(String operation, RuntimeException ex) {
        this.failures.increment();
        log.debug("Redis state cache {} failed: {}", operation, ex.getMessage());
    }

}
