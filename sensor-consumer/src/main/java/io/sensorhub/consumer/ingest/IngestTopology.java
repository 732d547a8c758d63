package io.sensorhub.consumer.ingest;

import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.readings.ReadingTopology;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.CustomExchange;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The topology of docs/ingest.md (AMQP, and the binding that takes MQTT readings in),
 * declared whenever a connection opens (idempotent: redeclaring with the same arguments
 * is a no-op, and a queue that exists with other arguments is used as it is, with a
 * warning).
 * <p>
 * Readings are spread over {@code sensorhub.ingest.partitions} quorum queues by a
 * consistent hash of their routing key ({@code readings.<sensorId>}), so all readings of
 * a sensor pass through one partition, in order. The consistent-hash exchange is
 * RabbitMQ's plugin {@code rabbitmq_consistent_hash_exchange}; with one partition (a
 * broker without it) the partition queue is bound to the readings exchange directly.
 * {@link PartitionCoordinator} decides which instance consumes which partition.
 * <p>
 * Each partition is a quorum queue with:
 * <ul>
 * <li>{@code x-single-active-consumer}: should two instances ever subscribe to the same
 * partition (one about to stop, one taking over), the broker delivers to one at a time,
 * in queue order; the coordinator's hand-over protocol never relies on it, it is the
 * safety net;</li>
 * <li>a dead-letter exchange with at-least-once dead-lettering
 * ({@code x-dead-letter-strategy} with {@code x-overflow=reject-publish}) to the
 * dead-letter queue, for a message the consumer rejects because even its dead letter
 * cannot be published. Everything else is dead-lettered by the consumer itself, with a
 * reason header.</li>
 * </ul>
 * <p>
 * No {@code x-delivery-limit}. RabbitMQ 3.x counts every return of a message as a
 * delivery, including the return of a stopping consumer's unacknowledged prefetch: with a
 * limit of N, a backlog that lives through N restarts or hand-overs was dead-lettered by
 * the broker, valid readings and all, without a reason. The broker cannot tell a
 * hand-over from a failure; the consumer can, so it keeps the count itself
 * ({@link IngestListener}: a message that fails again and again for a reason other than
 * an outage becomes {@code processing-failed}).
 */
@Configuration(proxyBeanMethods = false)
class IngestTopology {

    /** The exchange type of RabbitMQ's consistent-hash exchange plugin. */
    static final String CONSISTENT_HASH = "x-consistent-hash";

    @Bean
    Declarables ingestDeclarables(AmqpProperties names, IngestProperties ingest) {
        List<Declarable> declarables = new ArrayList<>();
        TopicExchange exchange = ExchangeBuilder.topicExchange(names.exchange()).durable(true).build();
        declarables.add(exchange);
        declarables.add(QueueBuilder.durable(names.deadQueue()).quorum().build());
        if (ingest.partitions() == 1) {
            Queue partition = partition(names, 0);
            declarables.add(partition);
            declarables.add(BindingBuilder.bind(partition).to(exchange).with(ReadingTopology.BINDING_KEY));
            declarables.add(mqttBinding(partition.getName(), Binding.DestinationType.QUEUE, names));
            return new Declarables(declarables);
        }
        Exchange partitions = new CustomExchange(names.partitionExchange(), CONSISTENT_HASH, true, false);
        declarables.add(partitions);
        declarables.add(BindingBuilder.bind(partitions).to(exchange).with(ReadingTopology.BINDING_KEY));
        declarables.add(mqttBinding(partitions.getName(), Binding.DestinationType.EXCHANGE, names));
        for (int n = 0; n < ingest.partitions(); n++) {
            Queue partition = partition(names, n);
            declarables.add(partition);
            // the binding key of a consistent-hash exchange is the queue's weight
            declarables.add(BindingBuilder.bind(partition).to(partitions).with("1").noargs());
        }
        return new Declarables(declarables);
    }

    private static Queue partition(AmqpProperties names, int partition) {
        return QueueBuilder.durable(names.partitionQueue(partition))
            .quorum()
            .singleActiveConsumer()
            .overflow(QueueBuilder.Overflow.rejectPublish)
            .deadLetterExchange("")
            .deadLetterRoutingKey(names.deadQueue())
            .withArgument("x-dead-letter-strategy", "at-least-once")
            .build();
    }

    /**
     * Readings published with MQTT: RabbitMQ's MQTT plugin routes topic
     * {@code sensorhub/readings/<sensorId>} to {@link ReadingTopology#MQTT_EXCHANGE} with
     * routing key {@code sensorhub.readings.<sensorId>}; this binding takes them into
     * {@code destination} (the partitions exchange, or the one partition) like AMQP
     * readings. The broker's exchange always exists, so only the binding is declared
     * (harmless where the plugin is not enabled).
     */
    private static Binding mqttBinding(String destination, Binding.DestinationType type, AmqpProperties names) {
        return new Binding(destination, type, ReadingTopology.MQTT_EXCHANGE, names.mqttBindingKey(), null);
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

}
