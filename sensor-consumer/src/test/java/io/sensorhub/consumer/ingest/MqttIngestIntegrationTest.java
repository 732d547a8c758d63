package io.sensorhub.consumer.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.rabbitmq.client.GetResponse;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;

import static io.sensorhub.consumer.support.Database.outbox;
import static io.sensorhub.consumer.support.Database.readings;
import static io.sensorhub.consumer.support.Database.transitions;
import static io.sensorhub.consumer.support.Json.array;
import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Readings published with a real MQTT client (Eclipse Paho, QoS 1) through RabbitMQ's
 * MQTT plugin are ingested like AMQP ones: stored, status changes recorded with their
 * outbox marker, and bad bodies dead-lettered with their reason. Skipped where nothing
 * listens on the MQTT port ({@link TestServices#mqttPort()}).
 */
@SpringBootTest
class MqttIngestIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final int AT_LEAST_ONCE = 1;

    private static MqttClient mqtt;

    private static ReadingPublisher amqp;

    private static final List<GetResponse> deadLetters = new ArrayList<>();

    @BeforeAll
    static void connect() throws MqttException {
        TestServices services = TestServices.get();
        assumeTrue(services.mqttListening(), "nothing listens for MQTT on " + services.mqttUri());
        mqtt = new MqttClient(services.mqttUri(), "sensorhub-test-" + UUID.randomUUID(), new MemoryPersistence());
        mqtt.setTimeToWait(Duration.ofSeconds(30).toMillis());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setUserName(services.mqttUserName());
        options.setPassword(services.amqpPassword().toCharArray());
        mqtt.connect(options);
        amqp = new ReadingPublisher(services.amqpPrefix());
    }

    @AfterAll
    static void disconnect() throws MqttException {
        if (mqtt != null) {
            mqtt.disconnect();
            mqtt.close();
        }
        if (amqp != null) {
            amqp.close();
        }
    }

    /**
     * A dot in a sensor id stays a dot in the routing key (the plugin turns only the
     * topic's slashes into dots), which the binding's {@code #} matches.
     */
    @Test
    void readingsPublishedWithMqttAreStoredAndChangeTheStatus() throws MqttException {
        String sensor = Sensors.withDefaultThresholds().create("mqtt.floor-1");
        publish(sensor, reading(sensor, minutesAgo(3), 95.0));
        publish(sensor, array(reading(sensor, minutesAgo(2), 85.0), reading(sensor, minutesAgo(1), 50.0)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(readings(sensor)).isEqualTo(3));
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(transitions(sensor)).containsExactly("1:UNKNOWN->CRITICAL",
                    "2:CRITICAL->WARNING", "3:WARNING->OK"));
        assertThat(outbox(sensor)).isEqualTo(3);
    }

    static Stream<Arguments> badBodiesPublishedWithMqttAreDeadLetteredWithTheirReason() {
        return Stream.of(arguments("{not json", "malformed-json"),
                arguments(reading("not a valid id!", minutesAgo(1), 1.0), "invalid-sensor-id"));
    }

    /**
     * MQTT carries no content type and no message id: a dead letter is found by the
     * routing key its message came with.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource
    void badBodiesPublishedWithMqttAreDeadLetteredWithTheirReason(String body, String reason) throws MqttException {
        String topicId = Sensors.sensor().create("mqtt-bad");
        publish(topicId, body);
        GetResponse deadLetter = awaitDeadLetterFrom(
                TestServices.get().amqpPrefix() + ReadingTopology.MQTT_ROUTING_KEY_PREFIX + topicId);
        Map<String, Object> headers = deadLetter.getProps().getHeaders();
        assertThat(String.valueOf(headers.get(ReadingTopology.ERROR_HEADER))).startsWith(reason + ": ");
        assertThat(String.valueOf(headers.get(ReadingTopology.REASON_HEADER))).isEqualTo(reason);
        assertThat(readings(topicId)).isZero();
    }

    /** Publishes with QoS 1: returns once the broker has acknowledged the message. */
    private static void publish(String sensorId, String body) throws MqttException {
        mqtt.publish(TestServices.get().mqttTopic(sensorId), body.getBytes(StandardCharsets.UTF_8), AT_LEAST_ONCE,
                false);
    }

    private static Instant minutesAgo(int minutes) {
        return Instant.now().minus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    }

    private static GetResponse awaitDeadLetterFrom(String routingKey) {
        return await().atMost(WAIT).until(() -> {
            deadLetters.addAll(amqp.drainDeadLetters());
            return deadLetters.stream()
                .filter(response -> routingKey
                    .equals(String.valueOf(response.getProps().getHeaders().get(ReadingTopology.ROUTING_KEY_HEADER))))
                .findFirst();
        }, Optional::isPresent).get();
    }

}
