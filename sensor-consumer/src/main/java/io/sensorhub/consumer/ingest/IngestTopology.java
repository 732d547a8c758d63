package io.sensorhub.consumer.ingest;

import io.sensorhub.common.readings.ReadingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.DeclarationExceptionEvent;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The topology of docs/ingest.md (AMQP, and the binding that takes MQTT readings in),
 * declared whenever a connection opens (idempotent: redeclaring with the same arguments
 * is a no-op, and a queue that exists with other arguments is used as it is, with a
 * warning).
 * <p>
 * The ingest queue is a quorum queue with:
 * <ul>
 * <li>{@code x-single-active-consumer}: of all consumer instances one receives at a time,
 * in queue order, the others stand by, so N instances derive the same status changes as
 * one (docs/ingest.md, status model);</li>
 * <li>a dead-letter exchange with at-least-once dead-lettering
 * ({@code x-dead-letter-strategy} with {@code x-overflow=reject-publish}) to the
 * dead-letter queue, for a message the consumer rejects because even its dead letter
 * cannot be published. Everything else is dead-lettered by the consumer itself, with a
 * reason header.</li>
 * </ul>
 * <p>
 * No {@code x-delivery-limit}. RabbitMQ 3.x counts every return of a message as a
 * delivery, including the return of a stopping consumer's unacknowledged prefetch: with a
 * limit of N, a backlog that lives through N restarts or fail-overs (rolling deployments
 * during a database outage, say) was dead-lettered by the broker, valid readings and all,
 * without a reason. The broker cannot tell a hand-over from a failure; the consumer can,
 * so it keeps the count itself ({@link IngestListener}: a message that fails again and
 * again for a reason other than an outage becomes {@code processing-failed}). The size
 * and JSON limits keep any one message from killing the consumer, which was the limit's
 * last-resort purpose.
 * <p>
 * A queue declared by an older version keeps its {@code x-delivery-limit}: RabbitMQ
 * cannot change a queue's arguments, and a policy's {@code delivery-limit} cannot raise
 * it (the lower of the two applies). Such a queue is used as it is and reported at ERROR
 * level once per connection, with what to do: move its messages away, delete it and let
 * sensor-consumer declare it again (see {@link #reportInequivalentQueue}).
 */
@Configuration(proxyBeanMethods = false)
class IngestTopology {

    private static final Logger log = LoggerFactory.getLogger(IngestTopology.class);

    @Bean
    Declarables ingestDeclarables(AmqpProperties names) {
        TopicExchange exchange = ExchangeBuilder.topicExchange(names.exchange()).durable(true).build();
        Queue dead = QueueBuilder.durable(names.deadQueue()).quorum().build();
        Queue ingest = QueueBuilder.durable(names.queue())
            .quorum()
            .singleActiveConsumer()
            .overflow(QueueBuilder.Overflow.rejectPublish)
            .deadLetterExchange("")
            .deadLetterRoutingKey(names.deadQueue())
            .withArgument("x-dead-letter-strategy", "at-least-once")
            .build();
        Binding binding = BindingBuilder.bind(ingest).to(exchange).with(ReadingTopology.BINDING_KEY);
        return new Declarables(exchange, dead, ingest, binding, mqttBinding(ingest, names));
    }

    /**
     * Readings published with MQTT: RabbitMQ's MQTT plugin routes topic
     * {@code sensorhub/readings/<sensorId>} to {@link ReadingTopology#MQTT_EXCHANGE} with
     * routing key {@code sensorhub.readings.<sensorId>}; this binding takes them into
     * {@code destination} like AMQP readings. The broker's exchange always exists, so
     * only the binding is declared (harmless where the plugin is not enabled).
     */
    private static Binding mqttBinding(Queue destination, AmqpProperties names) {
        return new Binding(destination.getName(), Binding.DestinationType.QUEUE, ReadingTopology.MQTT_EXCHANGE,
                names.mqttBindingKey(), null);
    }

    /**
     * Boot's admin, but one that logs instead of failing when a queue already exists with
     * other arguments.
     */
    @Bean
    RabbitAdmin amqpAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setIgnoreDeclarationExceptions(true);
        return admin;
    }

    /**
     * Says what an ingest queue declared with a delivery limit (by a version before 1.1)
     * means and how to replace it, since restarts can then still dead-letter valid
     * readings.
     */
    @EventListener
    void reportInequivalentQueue(DeclarationExceptionEvent event) {
        if (event.getDeclarable() instanceof Queue queue && mentionsDeliveryLimit(event.getThrowable())) {
            log.error("Queue {} exists with an x-delivery-limit (declared by an older version): after that many "
                    + "restarts or fail-overs, RabbitMQ dead-letters unacknowledged valid readings. It cannot be "
                    + "changed in place: stop the publishers or bind a temporary queue to the exchange, move the "
                    + "queue's messages there (e.g. the management UI's shovel), delete the queue, and restart "
                    + "sensor-consumer, which declares it without the limit; then move the messages back.",
                    queue.getName());
        }
    }

    /**
     * Whether the broker's refusal (somewhere in the cause chain) is about
     * {@code x-delivery-limit}.
     */
    private static boolean mentionsDeliveryLimit(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("x-delivery-limit")) {
                return true;
            }
        }
        return false;
    }

}
