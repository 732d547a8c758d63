package io.sensorhub.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The simulator against the real broker, over AMQP and over MQTT: every confirmed message
 * is in the queue, readings are well formed.
 */
class SimulatorIntegrationTest {

    private static final Pattern READING = Pattern.compile(
            "\\{\"sensorId\":\"(sim-[a-z0-9]+-\\d+)\",\"timestamp\":\"([0-9T:.\\-]+Z)\",\"value\":(-?\\d+(\\.\\d+)?)}");

    private final TestServices services = TestServices.get();

    @Test
    void publishesArraysOfUniqueReadingsWithConfirms() throws Exception {
        String exchange = this.services.amqpPrefix() + ReadingTopology.EXCHANGE;
        String queue = this.services.amqpPrefix() + "simulator-test";
        try (Connection connection = connectionFactory().newConnection();
                Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(exchange, "topic", true);
            channel.queueDeclare(queue, false, false, true, null);
            channel.queueBind(queue, exchange, ReadingTopology.BINDING_KEY);

            SimulatorOptions options = SimulatorOptions.parse("--uri", amqpUri(), "--exchange", exchange, "--sensors",
                    "20", "--prefix", "sim-t-", "--rate", "400", "--duration", "2", "--batch", "10", "--silence", "0",
                    "--seed", "7");
            long published = new Simulator(options).run();

            // At most rate × duration readings in whole messages of --batch, however slow
            // or busy the machine.
            assertThat(published).isBetween(1L, 80L);
            Set<String> identities = new HashSet<>();
            long readings = 0;
            for (long i = 0; i < published; i++) {
                GetResponse message = channel.basicGet(queue, true);
                assertThat(message).as("message %d of %d", i + 1, published).isNotNull();
                assertThat(message.getProps().getContentType()).isEqualTo("application/json");
                assertThat(message.getEnvelope().getRoutingKey())
                    .startsWith(ReadingTopology.ROUTING_KEY_PREFIX + "sim-t-");
                String body = new String(message.getBody(), StandardCharsets.UTF_8);
                assertThat(body).startsWith("[").endsWith("]");
                Matcher reading = READING.matcher(body);
                int inMessage = 0;
                while (reading.find()) {
                    assertThat(identities.add(reading.group(1) + "@" + reading.group(2))).as("unique reading").isTrue();
                    inMessage++;
                }
                assertThat(inMessage).as("readings in message %d", i + 1).isEqualTo(10);
                readings += inMessage;
            }
            assertThat(channel.basicGet(queue, true)).isNull();
            assertThat(readings).isEqualTo(published * 10);
        }
    }

    /**
     * MQTT at QoS 1 to {@code sensorhub/readings/<sensorId>}, as user
     * {@code <vhost>:<user>} taken from the AMQP URI: the broker's MQTT plugin routes
     * each message to amq.topic with routing key {@code sensorhub.readings.<sensorId>}.
     */
    @Test
    void publishesSingleReadingsWithMqttToEachSensorsTopic() throws Exception {
        assumeTrue(this.services.mqttListening(), "nothing listens for MQTT on " + this.services.mqttUri());
        // unique sensor ids: without a virtual host of its own, the run shares amq.topic
        String prefix = "sim-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
        String queue = this.services.amqpPrefix() + "simulator-mqtt-test";
        int sensors = 5;
        try (Connection connection = connectionFactory().newConnection();
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, false, false, true, null);
            for (int i = 1; i <= sensors; i++) {
                channel.queueBind(queue, ReadingTopology.MQTT_EXCHANGE,
                        ReadingTopology.MQTT_ROUTING_KEY_PREFIX + prefix + i);
            }

            SimulatorOptions options = SimulatorOptions.parse("--uri", amqpUri(), "--protocol", "mqtt", "--mqtt-port",
                    Integer.toString(this.services.mqttPort()), "--sensors", Integer.toString(sensors), "--prefix",
                    prefix, "--rate", "100", "--duration", "2", "--silence", "0", "--seed", "7");
            long published = new Simulator(options).run();

            assertThat(published).isBetween(1L, 200L);
            Set<String> identities = new HashSet<>();
            for (long i = 0; i < published; i++) {
                GetResponse message = channel.basicGet(queue, true);
                assertThat(message).as("message %d of %d", i + 1, published).isNotNull();
                Matcher reading = READING.matcher(new String(message.getBody(), StandardCharsets.UTF_8));
                assertThat(reading.matches()).as("a single reading").isTrue();
                assertThat(reading.group(1)).startsWith(prefix);
                assertThat(message.getEnvelope().getRoutingKey())
                    .isEqualTo(ReadingTopology.MQTT_ROUTING_KEY_PREFIX + reading.group(1));
                assertThat(identities.add(reading.group(1) + "@" + reading.group(2))).as("unique reading").isTrue();
            }
            assertThat(channel.basicGet(queue, true)).isNull();
        }
    }

    private ConnectionFactory connectionFactory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(amqpUri());
        return factory;
    }

    private String amqpUri() {
        return URI
            .create("amqp://" + this.services.amqpUser() + ":" + this.services.amqpPassword() + "@"
                    + this.services.amqpHost() + ":" + this.services.amqpPort())
                + "/" + URLEncoder.encode(this.services.amqpVirtualHost(), StandardCharsets.UTF_8);
    }

}
