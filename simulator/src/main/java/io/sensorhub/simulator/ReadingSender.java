package io.sensorhub.simulator;

import java.io.IOException;
import java.time.Duration;

/**
 * How the simulator sends a reading message and learns that the broker has it: over AMQP
 * with publisher confirms ({@link ConfirmingPublisher}) or over MQTT at QoS 1
 * ({@link MqttSender}). Either keeps a bounded window of unacknowledged messages and
 * sends them again after a reconnect.
 */
interface ReadingSender extends AutoCloseable {

    /**
     * Sends one message of readings of {@code sensorId} (the first sensor of an array);
     * blocks while too many wait for their acknowledgement. Throws {@link IOException}
     * while the broker is unreachable (the message is not sent).
     */
    void publish(String sensorId, String json) throws IOException, InterruptedException;

    /** Messages the broker has acknowledged. */
    long confirmed();

    /**
     * Messages sent again after a negative acknowledgement or a reconnect, as counted.
     */
    long resent();

    /** Messages waiting for their acknowledgement. */
    int outstanding();

    /**
     * Waits until every message sent is acknowledged, at most {@code timeout}; answers
     * whether all were.
     */
    default boolean awaitConfirms(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return outstanding() == 0;
    }

    @Override
    void close() throws IOException;

}
