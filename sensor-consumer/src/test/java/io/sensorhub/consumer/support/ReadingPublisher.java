package io.sensorhub.consumer.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;

/**
 * A plain RabbitMQ client, as a sensor would use: publishes readings with publisher
 * confirms, and reads the dead-letter queue.
 */
public final class ReadingPublisher implements AutoCloseable {

    /** sensor-consumer's default number of ingest partitions. */
    public static final int PARTITIONS = 16;

    private final Connection connection;

    private final Channel channel;

    private final String prefix;

    public ReadingPublisher(String prefix) {
        ConnectionFactory factory = connectionFactory();
        try {
            this.connection = factory.newConnection("test-publisher");
            this.channel = this.connection.createChannel();
            this.channel.confirmSelect();
        }
        catch (IOException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
        this.prefix = prefix;
    }

    /** A connection factory for this test run's broker and virtual host. */
    public static ConnectionFactory connectionFactory() {
        TestServices services = TestServices.get();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(services.amqpHost());
        factory.setPort(services.amqpPort());
        factory.setUsername(services.amqpUser());
        factory.setPassword(services.amqpPassword());
        factory.setVirtualHost(services.amqpVirtualHost());
        return factory;
    }

    public String exchange() {
        return this.prefix + ReadingTopology.EXCHANGE;
    }

    public String deadQueue() {
        return this.prefix + ReadingTopology.DEAD_QUEUE;
    }

    /**
     * The ingest partitions' queues, as sensor-consumer declares them by default
     * ({@code sensorhub.ingest.partitions}).
     */
    public List<String> partitionQueues() {
        return IntStream.range(0, PARTITIONS).mapToObj(n -> this.prefix + ReadingTopology.partitionQueue(n)).toList();
    }

    /**
     * Publishes a JSON body (persistent, application/json) for a sensor and waits for the
     * confirm.
     */
    public void publish(String sensorId, String body) {
        publish(sensorId, body,
                new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build());
        awaitConfirms();
    }

    /** Publishes without waiting for the confirm. */
    public void publish(String sensorId, String body, AMQP.BasicProperties properties) {
        publish(sensorId, body.getBytes(StandardCharsets.UTF_8), properties);
    }

    /** Publishes any bytes without waiting for the confirm. */
    public void publish(String sensorId, byte[] body, AMQP.BasicProperties properties) {
        try {
            this.channel.basicPublish(exchange(), ReadingTopology.ROUTING_KEY_PREFIX + sensorId, properties, body);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Waits until the broker confirmed everything published so far; fails if it refused
     * anything.
     */
    public void awaitConfirms() {
        try {
            this.channel.waitForConfirmsOrDie(Duration.ofSeconds(30).toMillis());
        }
        catch (IOException | TimeoutException | InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Takes every message now in the dead-letter queue. */
    public List<GetResponse> drainDeadLetters() {
        List<GetResponse> messages = new ArrayList<>();
        try {
            GetResponse response;
            while ((response = this.channel.basicGet(deadQueue(), true)) != null) {
                messages.add(response);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return messages;
    }

    /** Messages ready in a queue. */
    public long messageCount(String queue) {
        try {
            return this.channel.messageCount(queue);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        try {
            this.connection.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }

}
