package io.sensorhub.consumer.ingest;

import java.time.Clock;

import io.sensorhub.common.config.StorageProperties;
import io.sensorhub.common.readings.ReadingParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the ingest: the reading parser with the contract's time window and size limits,
 * and the batch listener container (manual acknowledgement, configurable prefetch and
 * batch size, one consumer: the queue has a single active consumer anyway, which keeps
 * readings in queue order).
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IngestConfiguration.class);

    /**
     * The listener's lifecycle phase, the highest: on shutdown it hands the queue over
     * first ({@link IngestListener#handOver()}), then the container stops
     * ({@link #CONTAINER_PHASE}), then the executor of parallel transactions
     * ({@link #INGESTOR_PHASE}). Startup runs the other way round.
     */
    static final int LISTENER_PHASE = SmartLifecycle.DEFAULT_PHASE;

    /** The listener container's lifecycle phase: just below the listener's. */
    static final int CONTAINER_PHASE = LISTENER_PHASE - 1;

    /** {@link ReadingIngestor}'s lifecycle phase: just below the container's. */
    static final int INGESTOR_PHASE = CONTAINER_PHASE - 1;

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ReadingParser readingParser(Clock clock, IngestProperties ingest, StorageProperties storage) {
        return new ReadingParser(clock, ingest.maxFutureSkew(), storage.retention(), ingest.readingLimits());
    }

    @Bean
    SimpleMessageListenerContainer ingestContainer(ConnectionFactory connectionFactory, IngestListener listener,
            AmqpProperties names, IngestProperties properties) {
        int prefetch = prefetch(properties, Runtime.getRuntime().maxMemory());
        int batchSize = Math.min(properties.batchSize(), prefetch);
        if (prefetch < Math.max(properties.prefetch(), properties.batchSize())) {
            log.info("Prefetch lowered to {} messages (batches of {}) so that prefetched messages of up to {} fit in a "
                    + "quarter of the heap", prefetch, batchSize, properties.maxMessageBytes());
        }
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(names.queue());
        container.setMessageListener(listener);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(batchSize);
        container.setPrefetchCount(prefetch);
        container.setReceiveTimeout(properties.batchTimeout().toMillis());
        container.setBatchReceiveTimeout(properties.batchTimeout().toMillis());
        container.setConcurrentConsumers(1);
        container.setMissingQueuesFatal(false);
        container.setAutoStartup(properties.autoStartup());
        container.setPhase(CONTAINER_PHASE);
        return container;
    }

    /**
     * The prefetch: the configured one (at least a batch), but no more messages than fit
     * in a quarter of the heap when each is as large as a message that is still parsed.
     * The broker pushes up to this many messages, each read whole into memory, before one
     * is acknowledged, and RabbitMQ cannot limit a prefetch by bytes: without this bound,
     * a batch of large messages could exhaust the heap, and the consumer would die on the
     * same messages after every restart. (A message over the limit costs its size only
     * until it is dead-lettered; the broker's {@code max_message_size} bounds it.)
     */
    static int prefetch(IngestProperties properties, long maxHeapBytes) {
        int configured = Math.max(properties.prefetch(), properties.batchSize());
        long fitting = (maxHeapBytes / 4) / Math.max(1, properties.maxMessageBytes().toBytes());
        return (int) Math.max(1, Math.min(configured, fitting));
    }

}
