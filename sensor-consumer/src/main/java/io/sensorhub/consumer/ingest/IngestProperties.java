package io.sensorhub.consumer.ingest;

import java.time.Duration;

import io.sensorhub.common.readings.ReadingLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.annotation.Validated;

/**
 * How sensor-consumer ingests readings.
 *
 * @param maxFutureSkew how far ahead of the server clock a reading's timestamp may be
 * (docs/ingest.md)
 * @param batchSize messages per batch, acknowledged together after their readings are
 * committed
 * @param maxReadingsPerTransaction a batch whose messages carry more readings is stored
 * in several consecutive transactions of whole messages (bounds memory and transaction
 * size when messages are large arrays)
 * @param parallelism store transactions an instance runs at once (its partitions' batches
 * are sensor-disjoint, so they never wait for each other's locks); more than the
 * database's cores buys nothing
 * @param prefetch unacknowledged messages the broker may push ahead per partition (at
 * least {@code batchSize}); lowered so that this many messages of {@code maxMessageBytes}
 * in every partition fit in a quarter of the heap (see {@code IngestConfiguration})
 * @param partitions ingest partitions (queues) readings are spread over by sensor; 1
 * where the broker has no consistent-hash exchange. Only ever raise it (docs/ingest.md)
 * @param rebalanceInterval how often an instance renews its membership and balances the
 * partitions
 * @param memberTimeout an instance not heard of for this long is taken for dead and its
 * partitions are taken over; an instance that could not renew its membership for half of
 * it stops consuming, before the others take over
 * @param maxMessageBytes a larger message is dead-lettered as {@code too-large} without
 * being parsed (plain bytes, or a size such as {@code 1MB})
 * @param maxJsonDepth the deepest nesting of JSON arrays and objects in a message
 * ({@code malformed-json} beyond)
 * @param maxStringLength the longest JSON string or property name, in characters
 * ({@code malformed-json} beyond)
 * @param maxNumberLength the longest JSON number literal, in characters
 * ({@code malformed-json} beyond)
 * @param retryInitialDelay first delay before a transient failure (database down,
 * deadlock) is retried
 * @param retryMaxDelay longest delay between retries; transient failures are retried
 * until they pass
 * @param confirmTimeout how long to wait for the broker to confirm a dead-lettered
 * message
 * @param autoStartup whether consuming starts with the application
 * @param storeDelay for benchmarks only: a fixed pause added to every batch's store,
 * inside its transaction slot, to make the consumer rather than the database the limit
 * (bench/ingest.sh); zero in production
 */
@Validated
@ConfigurationProperties("sensorhub.ingest")
public record IngestProperties(@NotNull @DefaultValue("5m") Duration maxFutureSkew,
        @Min(1) @Max(10000) @DefaultValue("500") int batchSize,
        @Min(1) @DefaultValue("50000") int maxReadingsPerTransaction,
        @Min(1) @Max(64) @DefaultValue("4") int parallelism, @Min(1) @Max(65535) @DefaultValue("2000") int prefetch,
        @Min(1) @Max(1024) @DefaultValue("16") int partitions, @NotNull @DefaultValue("2s") Duration rebalanceInterval,
        @NotNull @DefaultValue("10s") Duration memberTimeout,
        @NotNull @DataSizeUnit(DataUnit.BYTES) @DefaultValue("1MB") DataSize maxMessageBytes,
        @Min(2) @Max(1000) @DefaultValue("32") int maxJsonDepth, @Min(64) @DefaultValue("65536") int maxStringLength,
        @Min(32) @Max(100000) @DefaultValue("100") int maxNumberLength,
        @NotNull @DefaultValue("100ms") Duration retryInitialDelay,
        @NotNull @DefaultValue("10s") Duration retryMaxDelay, @NotNull @DefaultValue("10s") Duration confirmTimeout,
        @DefaultValue("true") boolean autoStartup, @NotNull @DefaultValue("0ms") Duration storeDelay) {

    /** The parser's limits. */
    public ReadingLimits readingLimits() {
        return new ReadingLimits((int) Math.min(Integer.MAX_VALUE - 8, this.maxMessageBytes.toBytes()),
                this.maxJsonDepth, this.maxStringLength, this.maxNumberLength);
    }
}
