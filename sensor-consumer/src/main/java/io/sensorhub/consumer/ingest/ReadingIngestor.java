package io.sensorhub.consumer.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

import io.sensorhub.common.concurrent.AfterCommit;
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
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a batch of readings in one transaction (docs/architecture.md): locks the
 * sensors' state rows in id order, inserts the readings that are new, derives status
 * changes from the locked state, records them with their outbox markers and NOTIFY, and
 * updates the state. Redis gets the new states after the commit.
 * <p>
 * Called by every partition's consumer thread; at most
 * {@code sensorhub.ingest.parallelism} transactions run at once. Partitions are
 * sensor-disjoint (unless a sensor publishes over both AMQP and MQTT, or under another
 * sensor's routing key), so concurrent transactions rarely wait for each other's row
 * locks; locks are taken in id order, so they never deadlock.
 */
@Service
class ReadingIngestor {

    private static final Logger log = LoggerFactory.getLogger(ReadingIngestor.class);

    private final TransactionTemplate transactions;

    private final SensorStateStore states;

    private final StatusChangeRecorder changes;

    private final ReadingStore readings;

    private final ObjectProvider<SensorStateCache> cache;

    private final Clock clock;

    /**
     * Permits to run a store transaction: the partitions' consumers store at most this
     * many batches at once ({@code sensorhub.ingest.parallelism}).
     */
    private final Semaphore transactionSlots;

    /** {@code sensorhub.ingest.store-delay}: benchmarks only. */
    private final Duration storeDelay;

    ReadingIngestor(TransactionTemplate transactions, SensorStateStore states, StatusChangeRecorder changes,
            ReadingStore readings, ObjectProvider<SensorStateCache> cache, Clock clock, IngestProperties properties) {
        this.transactions = transactions;
        this.states = states;
        this.changes = changes;
        this.readings = readings;
        this.cache = cache;
        this.clock = clock;
        this.transactionSlots = new Semaphore(properties.parallelism(), true);
        this.storeDelay = properties.storeDelay();
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
        return inTransaction(batch);
    }

    private IngestResult inTransaction(List<List<Reading>> batch) {
        try {
            this.transactionSlots.acquire();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to store a batch", ex);
        }
        try {
            if (!this.storeDelay.isZero()) {
                Thread.sleep(this.storeDelay.toMillis());
            }
            return this.transactions.execute(status -> ingestInTransaction(batch));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while storing a batch", ex);
        }
        finally {
            this.transactionSlots.release();
        }
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
