package io.sensorhub.consumer.ingest;

import java.time.Clock;

import io.sensorhub.common.config.StorageProperties;
import io.sensorhub.common.readings.ReadingParser;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the ingest: the reading parser with the contract's time window, and the batch listener container
 * (manual acknowledgement, configurable prefetch and batch size, one consumer: the queue has a single active
 * consumer anyway, which keeps readings in queue order).
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ReadingParser readingParser(Clock clock, IngestProperties ingest, StorageProperties storage) {
        return new ReadingParser(clock, ingest.maxFutureSkew(), storage.retention());
    }

    @Bean
    SimpleMessageListenerContainer ingestContainer(ConnectionFactory connectionFactory, IngestListener listener,
            AmqpProperties names, IngestProperties properties) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(names.queue());
        container.setMessageListener(listener);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(properties.batchSize());
        container.setPrefetchCount(Math.max(properties.prefetch(), properties.batchSize()));
        container.setReceiveTimeout(properties.batchTimeout().toMillis());
        container.setBatchReceiveTimeout(properties.batchTimeout().toMillis());
        container.setConcurrentConsumers(1);
        container.setMissingQueuesFatal(false);
        container.setAutoStartup(properties.autoStartup());
        return container;
    }
}
