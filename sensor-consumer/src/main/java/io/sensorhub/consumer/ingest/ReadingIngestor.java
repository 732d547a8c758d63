package io.sensorhub.consumer.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.sensorhub.common.concurrent.AfterCommit;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.logging.Correlation;
import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.state.StatusChangeRecorder;
import io.sensorhub.consumer.ingest.EvaluatedReading.ReadingKey;
import io.sensorhub.consumer.status.StatusSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a batch of readings in one transaction (docs/architecture.md): locks the
 * sensors' state rows in id order, inserts the readings that are new, derives status
 * changes from the locked state, records them with their outbox markers and NOTIFY, and
 * updates the state. Redis gets the new states after the commit.
 * <p>
 * The threads of parallel transactions run between {@link #start} and {@link #stop},
 * which comes after the listener container's stop
 * ({@link IngestConfiguration#INGESTOR_PHASE}).
 */
@Service
class ReadingIngestor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadingIngestor.class);

    /**
     * Below this many readings a batch is stored in one transaction: parallel ones would
     * cost more than they save.
     */
    static final int MIN_PARALLEL_READINGS = 200;

    private final TransactionTemplate transactions;

    private final SensorStateStore states;

    private final StatusChangeRecorder changes;

    private final ReadingStore readings;

    private final ObjectProvider<SensorStateCache> cache;

    private final Clock clock;

    private final int parallelism;

    /** Runs the parts of a batch beyond the first; null when stopped. */
    private volatile ExecutorService executor;

    ReadingIngestor(TransactionTemplate transactions, SensorStateStore states, StatusChangeRecorder changes,
            ReadingStore readings, ObjectProvider<SensorStateCache> cache, Clock clock, IngestProperties properties) {
        this.transactions = transactions;
        this.states = states;
        this.changes = changes;
        this.readings = readings;
        this.cache = cache;
        this.clock = clock;
        this.parallelism = properties.parallelism();
    }

    /**
     * Stores the readings of a batch of messages, given per message in queue order;
     * answers what happened. Throws on a database failure (nothing is then stored).
     */
    IngestResult ingest(List<List<Reading>> batch) {
        int readings = batch.stream().mapToInt(List::size).sum();
        if (readings == 0) {
            return IngestResult.EMPTY;
        }
        ExecutorService parallel = this.executor;
        if (this.parallelism == 1 || readings < MIN_PARALLEL_READINGS || parallel == null) {
            return inTransaction(batch);
        }
        return ingestInParallel(SensorPartitions.split(batch, this.parallelism), parallel);
    }

    /**
     * Stores sensor-disjoint parts of a batch in concurrent transactions on separate
     * connections (PostgreSQL works one core per connection). Disjoint sensors keep every
     * sensor's readings, and so its status, in one transaction; locks are still taken in
     * id order. If a part fails, the others may have committed: the batch is retried
     * whole, and what was committed is recognised as already stored.
     */
    private IngestResult ingestInParallel(List<List<List<Reading>>> parts, ExecutorService parallel) {
        List<CompletableFuture<IngestResult>> others = new ArrayList<>();
        for (List<List<Reading>> part : parts.subList(1, parts.size())) {
            others.add(CompletableFuture.supplyAsync(() -> inTransaction(part), parallel));
        }
        IngestResult result;
        try {
            result = inTransaction(parts.get(0));
        }
        finally {
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).exceptionally(ex -> null).join();
        }
        for (CompletableFuture<IngestResult> other : others) {
            result = result.plus(joined(other));
        }
        return result;
    }

    private static IngestResult joined(CompletableFuture<IngestResult> future) {
        try {
            return future.join();
        }
        catch (CompletionException ex) {
            throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
        }
    }

    private IngestResult inTransaction(List<List<Reading>> batch) {
        return this.transactions.execute(status -> ingestInTransaction(batch));
    }

    /**
     * Whether the database answers now: a failure is never taken for a poison message
     * while it does not (an outage may surface as an exception no classifier foresaw).
     */
    boolean databaseAnswers() {
        try {
            return this.readings.ping();
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    @Override
    public synchronized void start() {
        this.executor = Executors.newFixedThreadPool(Math.max(1, this.parallelism - 1), Threads.named("ingest-tx"));
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

    @Override
    public int getPhase() {
        return IngestConfiguration.INGESTOR_PHASE;
    }

    private IngestResult ingestInTransaction(List<List<Reading>> batch) {
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, SensorState> current = this.states
            .lock(batch.stream().flatMap(List::stream).map(Reading::sensorId).toList());
        Map<String, StatusSettings> settings = this.readings.settings(current.keySet());
        List<Reading> unknown = new ArrayList<>();
        List<EvaluatedReading> known = evaluate(batch, current, settings, unknown);
        Set<ReadingKey> inserted = this.readings.insertNew(known, now);
        List<EvaluatedReading> stored = known.stream().filter(reading -> inserted.contains(reading.key())).toList();
        StatusTransitions.Outcome outcome = StatusTransitions.apply(current, settings, stored, now);
        this.changes.record(outcome.changes());
        logAfterCommit(outcome.changes());
        this.states.update(outcome.states());
        this.cache.ifAvailable(cache -> cache.putAfterCommit(outcome.states()));
        return new IngestResult(stored, known.size() - stored.size(), outcome.changes().size(), unknown, now);
    }

    /**
     * Logs each change once committed (DEBUG), under the correlation id of the reading
     * that caused it, the id its deliveries carry into notifier-job's logs.
     */
    private static void logAfterCommit(List<StatusChange> changes) {
        if (changes.isEmpty() || !log.isDebugEnabled()) {
            return;
        }
        AfterCommit.run(() -> changes.forEach(ReadingIngestor::logChange));
    }

    private static void logChange(StatusChange change) {
        try (MDC.MDCCloseable scope = Correlation.open(Correlation.ofReading(change.sensorId(), change.reportedAt()))) {
            log.debug("Sensor {} changed {} -> {} (sequence {}, value {})", change.sensorId(), change.previousStatus(),
                    change.status(), change.sequence(), change.value());
        }
    }

    /**
     * The readings of registered sensors with their status, each key once; the others go
     * to {@code unknown}.
     */
    private static List<EvaluatedReading> evaluate(List<List<Reading>> batch, Map<String, SensorState> current,
            Map<String, StatusSettings> settings, List<Reading> unknown) {
        Map<ReadingKey, EvaluatedReading> known = new LinkedHashMap<>();
        for (int message = 0; message < batch.size(); message++) {
            for (Reading reading : batch.get(message)) {
                StatusSettings sensorSettings = settings.get(reading.sensorId());
                if (!current.containsKey(reading.sensorId()) || sensorSettings == null) {
                    unknown.add(reading);
                    continue;
                }
                EvaluatedReading evaluated = new EvaluatedReading(reading, reading.status(sensorSettings.thresholds()),
                        message);
                known.putIfAbsent(evaluated.key(), evaluated);
            }
        }
        return new ArrayList<>(known.values());
    }

    /**
     * What one batch did.
     *
     * @param stored the readings stored for the first time
     * @param duplicates readings that were already stored (or repeated within the batch)
     * @param changes status changes recorded
     * @param unknownSensor readings of sensors that are not registered (to dead-letter)
     * @param committedAt the server time of the transaction
     */
    record IngestResult(List<EvaluatedReading> stored, int duplicates, int changes, List<Reading> unknownSensor,
            Instant committedAt) {

        static final IngestResult EMPTY = new IngestResult(List.of(), 0, 0, List.of(), Instant.EPOCH);

        /** Both results together (of two sensor-disjoint parts of one batch). */
        IngestResult plus(IngestResult other) {
            List<EvaluatedReading> allStored = new ArrayList<>(this.stored);
            allStored.addAll(other.stored);
            List<Reading> allUnknown = new ArrayList<>(this.unknownSensor);
            allUnknown.addAll(other.unknownSensor);
            Instant latest = this.committedAt.isAfter(other.committedAt) ? this.committedAt : other.committedAt;
            return new IngestResult(allStored, this.duplicates + other.duplicates, this.changes + other.changes,
                    allUnknown, latest);
        }
    }

}
