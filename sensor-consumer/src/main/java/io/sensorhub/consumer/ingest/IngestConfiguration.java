package io.sensorhub.consumer.ingest;

import java.time.Clock;

import io.sensorhub.common.config.StorageProperties;
import io.sensorhub.common.readings.ReadingParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the ingest: the reading parser with the contract's time window and size limits,
 * and the prefetch of each partition's consumer ({@link PartitionCoordinator}).
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IngestConfiguration.class);

    /**
     * The lifecycle phase of the partitions' consumers ({@link PartitionCoordinator}): on
     * shutdown they hand their partitions over first, before anything they use stops.
     */
    static final int LISTENER_PHASE = SmartLifecycle.DEFAULT_PHASE;

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    IngestMember ingestMember() {
        return IngestMember.create();
    }

    /**
     * Names this instance's AMQP connections after it (Boot's connection factory uses
     * it).
     */
    @Bean
    ConnectionNameStrategy connectionNameStrategy(IngestMember member) {
        return (connectionFactory) -> member.connectionName();
    }

    @Bean
    ReadingParser readingParser(Clock clock, IngestProperties ingest, StorageProperties storage) {
        return new ReadingParser(clock, ingest.maxFutureSkew(), storage.retention(), ingest.readingLimits());
    }

    /**
     * The prefetch of each partition: the configured one (at least a batch), but no more
     * messages than fit in a quarter of the heap when every partition holds that many,
     * each as large as a message that is still parsed. The broker pushes up to this many
     * messages per partition, each read whole into memory, before one is acknowledged,
     * and RabbitMQ cannot limit a prefetch by bytes: without this bound, batches of large
     * messages could exhaust the heap, and the consumer would die on the same messages
     * after every restart. (A message over the limit costs its size only until it is
     * dead-lettered; the broker's {@code max_message_size} bounds it.)
     */
    static int prefetch(IngestProperties properties, long maxHeapBytes) {
        int configured = Math.max(properties.prefetch(), properties.batchSize());
        long fitting = (maxHeapBytes / 4) / Math.max(1, properties.maxMessageBytes().toBytes())
                / properties.partitions();
        if (fitting < configured) {
            log.info(
                    "Prefetch lowered to {} messages per partition so that {} partitions of prefetched messages "
                            + "of up to {} fit in a quarter of the heap",
                    Math.max(1, fitting), properties.partitions(), properties.maxMessageBytes());
        }
        return (int) Math.max(1, Math.min(configured, fitting));
    }

}
