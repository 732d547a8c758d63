package io.sensorhub.common.state;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.status.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The Redis cache of each sensor's current state (DESIGN decision 1): a hash per sensor at
 * {@code <prefix>state:<sensorId>} with fields {@code status, value, reportedAt, since, seq, rts}.
 * <p>
 * Writes are applied by a Lua script that refuses a state older than the cached one (lower sequence, or the
 * same sequence with an older reading timestamp), so a late writer never moves the cache backwards. Writes
 * after a commit are queued to one background thread: Redis being slow or down never slows the caller; what
 * could not be written is repaired by reconciliation against {@code sensor_state}. Reads never throw: a
 * Redis failure answers empty and the caller falls back to PostgreSQL.
 */
public class SensorStateCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SensorStateCache.class);

    private static final byte[] PUT_IF_NOT_OLDER = """
            local cur = redis.call('HMGET', KEYS[1], 'seq', 'rts')
            if ARGV[7] ~= 'force' and cur[1] then
              local cseq, nseq = tonumber(cur[1]), tonumber(ARGV[1])
              if nseq < cseq or (nseq == cseq and tonumber(ARGV[2]) < tonumber(cur[2])) then return 0 end
            end
            redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'rts', ARGV[2], 'status', ARGV[3], 'value', ARGV[4],
                       'reportedAt', ARGV[5], 'since', ARGV[6])
            return 1""".getBytes(StandardCharsets.UTF_8);

    private final StringRedisTemplate redis;

    /** The script's SHA1 once loaded in Redis (writes then send it rather than the script's text); null before. */
    private volatile String scriptSha;

    private final String prefix;

    private final ThreadPoolExecutor writer;

    private final Counter failures;

    private final Counter dropped;

    public SensorStateCache(StringRedisTemplate redis, String keyPrefix, int writeQueueCapacity, MeterRegistry meters) {
        this.redis = redis;
        this.prefix = keyPrefix + "state:";
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(writeQueueCapacity),
                runnable -> new Thread(runnable, "state-cache-writer"), this::dropped);
        this.failures = Counter.builder("sensorhub.cache.failures")
            .description("Redis state cache operations that failed")
            .register(meters);
        this.dropped = Counter.builder("sensorhub.cache.writes.dropped")
            .description("State cache writes dropped because the write queue was full (repaired by reconciliation)")
            .register(meters);
    }

    /** The cached state of a sensor; empty when not cached or when Redis fails. Never throws. */
    public Optional<SensorState> find(String sensorId) {
        try {
            Map<Object, Object> fields = this.redis.opsForHash().entries(key(sensorId));
            return fields.isEmpty() ? Optional.empty() : Optional.of(fromFields(sensorId, fields));
        }
        catch (RuntimeException ex) {
            failed("read", ex);
            return Optional.empty();
        }
    }

    /**
     * Writes these states unless the cache holds newer ones; answers how many were written.
     * Throws when Redis fails (for reconciliation, which must know).
     */
    public int put(Collection<SensorState> states) {
        return write(states, false);
    }

    /** Overwrites these states whatever the cache holds (reconciliation repairing an entry ahead of the truth). */
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
     * Writes these states once the current transaction commits (at once when there is none), on the background
     * writer. Never blocks on Redis and never throws.
     */
    public void putAfterCommit(Collection<SensorState> states) {
        if (states.isEmpty()) {
            return;
        }
        List<SensorState> copy = List.copyOf(states);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    enqueue(copy);
                }
            });
        }
        else {
            enqueue(copy);
        }
    }

    /** The Redis key of a sensor's state. */
    public String key(String sensorId) {
        return this.prefix + sensorId;
    }

    /** The prefix of every state key, for scans. */
    public String keyPrefix() {
        return this.prefix;
    }

    @Override
    public void close() {
        this.writer.shutdown();
    }

    private void enqueue(List<SensorState> states) {
        this.writer.execute(() -> {
            try {
                write(states, false);
            }
            catch (RuntimeException ex) {
                failed("write", ex);
            }
        });
    }

    /**
     * Pipelines one script call per state. The script goes by its SHA1 (EVALSHA: Redis need not receive and hash
     * its text per call); when Redis does not know it (first use, a restart), it is loaded and the write retried once.
     */
    private int write(Collection<SensorState> states, boolean force) {
        try {
            return writePipelined(states, force);
        }
        catch (RuntimeException ex) {
            this.scriptSha = null;
            return writePipelined(states, force);
        }
    }

    private int writePipelined(Collection<SensorState> states, boolean force) {
        if (this.scriptSha == null) {
            this.scriptSha = this.redis.execute((RedisCallback<String>) connection -> connection.scriptingCommands()
                .scriptLoad(PUT_IF_NOT_OLDER));
        }
        String sha = this.scriptSha;
        List<Object> results = this.redis.executePipelined((RedisCallback<Object>) connection -> {
            for (SensorState state : states) {
                eval(connection, sha, state, force);
            }
            return null;
        });
        return (int) results.stream().filter(result -> Long.valueOf(1).equals(result)).count();
    }

    private void eval(RedisConnection connection, String sha, SensorState state, boolean force) {
        connection.scriptingCommands()
            .evalSha(sha, ReturnType.INTEGER, 1, bytes(key(state.sensorId())),
                    bytes(Long.toString(state.sequence())), bytes(Long.toString(state.reportedAtMicros())),
                    bytes(state.status().name()), bytes(text(state.value())), bytes(text(state.reportedAt())),
                    bytes(text(state.since())), bytes(force ? "force" : "ifNewer"));
    }

    private static SensorState fromFields(String sensorId, Map<Object, Object> fields) {
        return new SensorState(sensorId, Status.valueOf((String) fields.get("status")),
                parse((String) fields.get("value"), Double::valueOf), parse((String) fields.get("reportedAt"), Instant::parse),
                parse((String) fields.get("since"), Instant::parse), Long.parseLong((String) fields.get("seq")), null);
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

    private void dropped(Runnable task, ThreadPoolExecutor executor) {
        this.dropped.increment();
    }

    private void failed(String operation, RuntimeException ex) {
        this.failures.increment();
        log.debug("Redis state cache {} failed: {}", operation, ex.getMessage());
    }
}
