package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sensorhub.common.readings.RejectReason;
import org.springframework.stereotype.Component;

/**
 * The ingest meters on {@code /actuator/prometheus}: readings stored and dead-lettered
 * (rates come from the counters), batch sizes, end-to-end lag and processing latency.
 */
@Component
class IngestMetrics {

    private final MeterRegistry registry;

    private final Counter stored;

    private final Counter duplicates;

    private final Counter changes;

    private final Counter retries;

    private final DistributionSummary batchMessages;

    private final DistributionSummary batchReadings;

    private final Timer lag;

    private final Timer processing;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.stored = Counter.builder("sensorhub.ingest.readings.stored")
            .description("Readings stored for the first time")
            .register(registry);
        this.duplicates = Counter.builder("sensorhub.ingest.readings.duplicate")
            .description("Readings received again and not stored twice")
            .register(registry);
        this.changes = Counter.builder("sensorhub.ingest.status.changes")
            .description("Status changes recorded")
            .register(registry);
        this.retries = Counter.builder("sensorhub.ingest.retries")
            .description("Batches retried after a transient failure")
            .register(registry);
        this.batchMessages = DistributionSummary.builder("sensorhub.ingest.batch.messages")
            .description("Messages per batch")
            .register(registry);
        this.batchReadings = DistributionSummary.builder("sensorhub.ingest.batch.readings")
            .description("Valid readings per batch")
            .register(registry);
        this.lag = Timer.builder("sensorhub.ingest.lag")
            .description("End-to-end lag: commit time minus the reading's own timestamp")
            .register(registry);
        this.processing = Timer.builder("sensorhub.ingest.batch.duration")
            .description("Processing latency of a batch, from receipt to acknowledgement")
            .publishPercentileHistogram()
            .register(registry);
    }

    void batch(int messages, int readings) {
        this.batchMessages.record(messages);
        this.batchReadings.record(readings);
    }

    void stored(ReadingIngestor.IngestResult result) {
        this.stored.increment(result.stored().size());
        this.duplicates.increment(result.duplicates());
        this.changes.increment(result.changes());
        long committed = result.committedAt().toEpochMilli();
        for (EvaluatedReading reading : result.stored()) {
            this.lag.record(Math.max(0, committed - reading.reading().timestamp().toEpochMilli()),
                    TimeUnit.MILLISECONDS);
        }
    }

    void deadLettered(List<RejectReason> reasons) {
        for (RejectReason reason : reasons) {
            Counter.builder("sensorhub.ingest.dead.lettered")
                .description("Messages or readings moved to the dead-letter queue, by reason")
                .tag("reason", reason.code())
                .register(this.registry)
                .increment();
        }
    }

    void retried() {
        this.retries.increment();
    }

    void processed(Instant started) {
        this.processing.record(Duration.between(started, Instant.now()));
    }

}
