package io.sensorhub.consumer.ingest;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The topology of docs/ingest.md, declared whenever a connection opens (idempotent: redeclaring with the same
 * arguments is a no-op, and a queue that exists with other arguments is used as it is, with a warning).
 * <p>
 * The ingest queue is a quorum queue with:
 * <ul>
 * <li>{@code x-single-active-consumer}: of all consumer instances one receives at a time, in queue order, the
 * others stand by, so N instances derive the same status changes as one (docs/ingest.md, status model);</li>
 * <li>{@code x-delivery-limit} and at-least-once dead-lettering ({@code x-dead-letter-strategy} with
 * {@code x-overflow=reject-publish}) to the dead-letter queue: the last resort against a message that keeps
 * killing the consumer. Everything else is dead-lettered by the consumer itself, with a reason header.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class IngestTopology {

    static final String ROUTING_PATTERN = "readings.#";

    @Bean
    Declarables ingestDeclarables(AmqpProperties names, IngestProperties properties) {
        TopicExchange exchange = ExchangeBuilder.topicExchange(names.exchange()).durable(true).build();
        Queue dead = QueueBuilder.durable(names.deadQueue()).quorum().build();
        Queue ingest = QueueBuilder.durable(names.queue())
            .quorum()
            .singleActiveConsumer()
            .deliveryLimit(properties.deliveryLimit())
            .overflow(QueueBuilder.Overflow.rejectPublish)
            .deadLetterExchange("")
            .deadLetterRoutingKey(names.deadQueue())
            .withArgument("x-dead-letter-strategy", "at-least-once")
            .build();
        Binding binding = BindingBuilder.bind(ingest).to(exchange).with(ROUTING_PATTERN);
        return new Declarables(exchange, dead, ingest, binding);
    }

    /** Boot's admin, but one that logs instead of failing when a queue already exists with other arguments. */
    @Bean
    RabbitAdmin amqpAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setIgnoreDeclarationExceptions(true);
        return admin;
    }
}
