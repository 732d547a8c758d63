package io.sensorhub.quickstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;

/**
 * ChaosIT's publisher: persistent messages of one reading each, in batches that count as
 * confirmed only once the broker confirmed all of them. A batch interrupted by a lost
 * connection is published again in full on a new one (readings are idempotent), so every
 * reading is confirmed in the end and each sensor's readings keep their order.
 */
final class ChaosPublisher implements AutoCloseable {

    private static final int BATCH = 100;

    /**
     * About 400 readings a second, so that ingest lasts long enough for every fault to
     * fall inside it.
     */
    private static final long BATCH_PAUSE_MILLIS = 250;

    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .deliveryMode(2)
        .build();

    private final ConnectionFactory factory = new ConnectionFactory();

    private final String prefix;

    private Connection connection;

    private Channel channel;

    private int retries;

    ChaosPublisher(TestServices services) {
        this.factory.setHost(services.amqpHost());
        this.factory.setPort(services.amqpPort());
        this.factory.setUsername(services.amqpUser());
        this.factory.setPassword(services.amqpPassword());
        this.factory.setVirtualHost(services.amqpVirtualHost());
        this.factory.setAutomaticRecoveryEnabled(false);
        this.prefix = services.amqpPrefix();
    }

    /**
     * Publishes reading k of every sensor, k = 0, 1, …, at one-second steps of their
     * timestamps.
     */
    void publishAll(List<String> sensors, Instant base, AtomicInteger confirmed) {
        List<String[]> batch = new ArrayList<>();
        for (int k = 0; k < ChaosIT.READINGS_PER_SENSOR; k++) {
            for (int s = 0; s < sensors.size(); s++) {
                String sensor = sensors.get(s);
                batch.add(new String[] { sensor, "{\"sensorId\":\"" + sensor + "\",\"timestamp\":\""
                        + base.plusSeconds(k) + "\",\"value\":" + ChaosIT.value(s, k) + "}" });
                if (batch.size() == BATCH) {
                    send(batch);
                    confirmed.addAndGet(batch.size());
                    batch.clear();
                    pause(BATCH_PAUSE_MILLIS);
                }
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
            confirmed.addAndGet(batch.size());
        }
    }

    int retries() {
        return this.retries;
    }

    /** Messages waiting in the dead-letter queue. */
    long deadLetters() throws IOException, TimeoutException {
        ensureChannel();
        return this.channel.queueDeclarePassive(this.prefix + ReadingTopology.DEAD_QUEUE).getMessageCount();
    }

    private void send(List<String[]> batch) {
        while (true) {
            try {
                ensureChannel();
                for (String[] message : batch) {
                    this.channel.basicPublish(this.prefix + ReadingTopology.EXCHANGE,
                            ReadingTopology.ROUTING_KEY_PREFIX + message[0], PERSISTENT,
                            message[1].getBytes(StandardCharsets.UTF_8));
                }
                this.channel.waitForConfirmsOrDie(30_000);
                return;
            }
            catch (IOException | TimeoutException | ShutdownSignalException ex) {
                this.retries++;
                closeQuietly();
                pause(500);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    private void ensureChannel() throws IOException, TimeoutException {
        if (this.channel == null || !this.channel.isOpen()) {
            closeQuietly();
            this.connection = this.factory.newConnection("chaos-publisher");
            this.channel = this.connection.createChannel();
            this.channel.confirmSelect();
        }
    }

    private void closeQuietly() {
        try {
            if (this.connection != null && this.connection.isOpen()) {
                this.connection.close(5_000);
            }
        }
        catch (IOException | RuntimeException ex) {
            // already gone
        }
        this.connection = null;
        this.channel = null;
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

}
