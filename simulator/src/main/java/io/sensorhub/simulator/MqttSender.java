package io.sensorhub.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import io.sensorhub.common.readings.ReadingTopology;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes readings with MQTT 3.1.1 at QoS 1 (Eclipse Paho) to topic
 * {@value ReadingTopology#MQTT_TOPIC_PREFIX}{@code <sensorId>}, as a device would through
 * RabbitMQ's MQTT plugin. A message counts as confirmed when the broker's PUBACK arrives.
 * The session is not clean and the client reconnects by itself, so Paho sends the
 * unacknowledged messages again after a reconnect (it does not count them:
 * {@link #resent()} stays 0). At most {@code maxOutstanding} messages wait for their
 * PUBACK; publishing blocks beyond that.
 */
final class MqttSender implements ReadingSender {

    private static final Logger log = LoggerFactory.getLogger(MqttSender.class);

    private static final int AT_LEAST_ONCE = 1;

    private static final long CONNECT_TIMEOUT_MILLIS = 30_000;

    private final MqttAsyncClient client;

    private final int maxOutstanding;

    private final Semaphore window;

    private final AtomicLong confirmed = new AtomicLong();

    /**
     * Connects to {@code serverUri} ({@code tcp://host:port}) as {@code userName}
     * ({@code vhost:user} selects a virtual host).
     */
    MqttSender(String serverUri, String userName, String password, int maxOutstanding) throws MqttException {
        this.client = new MqttAsyncClient(serverUri, "sensorhub-simulator-" + UUID.randomUUID(),
                new MemoryPersistence());
        this.maxOutstanding = maxOutstanding;
        this.window = new Semaphore(maxOutstanding);
        this.client.setCallback(new Callback());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(userName);
        options.setPassword(password.toCharArray());
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxInflight(maxOutstanding);
        this.client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MILLIS);
    }

    @Override
    public void publish(String sensorId, String json) throws IOException, InterruptedException {
        this.window.acquire();
        try {
            this.client.publish(ReadingTopology.MQTT_TOPIC_PREFIX + sensorId, json.getBytes(StandardCharsets.UTF_8),
                    AT_LEAST_ONCE, false);
        }
        catch (MqttException ex) {
            this.window.release();
            throw new IOException(ex.getMessage(), ex);
        }
    }

    @Override
    public long confirmed() {
        return this.confirmed.get();
    }

    @Override
    public long resent() {
        return 0;
    }

    @Override
    public int outstanding() {
        return this.maxOutstanding - this.window.availablePermits();
    }

    @Override
    public void close() throws IOException {
        try {
            if (this.client.isConnected()) {
                this.client.disconnect().waitForCompletion(CONNECT_TIMEOUT_MILLIS);
            }
            this.client.close();
        }
        catch (MqttException ex) {
            throw new IOException(ex.getMessage(), ex);
        }
    }

    /** PUBACKs and the state of the connection. */
    private final class Callback implements MqttCallbackExtended {

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            MqttSender.this.confirmed.incrementAndGet();
            MqttSender.this.window.release();
        }

        @Override
        public void connectionLost(Throwable cause) {
            log.warn("MQTT connection lost ({}); reconnecting", cause.getMessage());
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                log.info("MQTT reconnected to {}", serverUri);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // nothing subscribed
        }

    }

}
