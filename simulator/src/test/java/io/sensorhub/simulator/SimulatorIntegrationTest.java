package io.sensorhub.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
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

/**
 * The simulator against the real broker: every confirmed message is in the queue,
 * readings are well formed.
 */
class SimulatorIntegrationTest {

    private static final Pattern READING = Pattern
        .compile("\\{\"sensorId\":\"(sim-t-\\d+)\",\"timestamp\":\"([0-9T:.\\-]+Z)\",\"value\":(-?\\d+(\\.\\d+)?)}");

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
