package io.sensorhub.consumer.ingest;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How sensor-consumer ingests readings.
 *
 * @param maxFutureSkew how far ahead of the server clock a reading's timestamp may be (docs/ingest.md)
 * @param batchSize messages per batch, acknowledged together after their readings are committed
 * @param maxReadingsPerTransaction a batch whose messages carry more readings is stored in several consecutive
 * transactions of whole messages (bounds memory and transaction size when messages are large arrays)
 * @param parallelism concurrent transactions a batch is split into, by sensor (sensor-disjoint parts), so
 * PostgreSQL can use more than one core; 1 stores every batch in one transaction
 * @param prefetch unacknowledged messages the broker may push ahead (at least {@code batchSize})
 * @param batchTimeout how long to wait to fill a batch before a partial one is processed
 * @param deliveryLimit the quorum queue's {@code x-delivery-limit}: deliveries after which the broker
 * dead-letters a message by itself (last resort against a message that crashes the consumer); a queue argument,
 * so it applies only when the queue is first declared
 * @param retryInitialDelay first delay before a transient failure (database down, deadlock) is retried
 * @param retryMaxDelay longest delay between retries; transient failures are retried until they pass
 * @param confirmTimeout how long to wait for the broker to confirm a dead-lettered message
 * @param autoStartup whether consuming starts with the application
 */
@Validated
@ConfigurationProperties("sensorhub.ingest")
public record IngestProperties(
        @NotNull @DefaultValue("5m") Duration maxFutureSkew,
        @Min(1) @Max(10000) @DefaultValue("500") int batchSize,
        @Min(1) @DefaultValue("50000") int maxReadingsPerTransaction,
        @Min(1) @Max(16) @DefaultValue("2") int parallelism,
        @Min(1) @Max(65535) @DefaultValue("2000") int prefetch,
        @NotNull @DefaultValue("50ms") Duration batchTimeout,
        @Min(2) @DefaultValue("20") int deliveryLimit,
        @NotNull @DefaultValue("100ms") Duration retryInitialDelay,
        @NotNull @DefaultValue("10s") Duration retryMaxDelay,
        @NotNull @DefaultValue("10s") Duration confirmTimeout,
        @DefaultValue("true") boolean autoStartup) {
}
