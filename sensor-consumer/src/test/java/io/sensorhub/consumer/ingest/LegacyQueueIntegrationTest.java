package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An ingest queue declared by an older version, with {@code x-delivery-limit}, cannot be
 * changed in place: it is used as it is, and the operator is told at ERROR level what it
 * means and how to replace it.
 */
@SpringBootTest
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class LegacyQueueIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "legacy.";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException, TimeoutException {
        declareAsVersionOneDid();
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
    }

    @Test
    void aQueueWithADeliveryLimitIsUsedAndReported(CapturedOutput output) {
        String sensor = Sensors.sensor().create("legacy");
        try (ReadingPublisher publisher = new ReadingPublisher(PREFIX)) {
            publisher.publish(sensor, reading(sensor, Instant.now().minus(1, ChronoUnit.MINUTES), 1.0));
        }
        await().atMost(Duration.ofSeconds(45))
            .until(() -> Database.count("SELECT count(*) FROM readings WHERE sensor_id = ?", sensor) == 1);
        assertThat(output.getOut()).containsPattern("ERROR .*Queue "
                + Pattern.quote(PREFIX + ReadingTopology.INGEST_QUEUE) + " exists with an x-delivery-limit");
    }

    private static void declareAsVersionOneDid() throws IOException, TimeoutException {
        ConnectionFactory factory = ReadingPublisher.connectionFactory();
        try (Connection connection = factory.newConnection("legacy"); Channel channel = connection.createChannel()) {
            channel.queueDeclare(PREFIX + ReadingTopology.INGEST_QUEUE, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-single-active-consumer", true, "x-delivery-limit", 20,
                            "x-overflow", "reject-publish", "x-dead-letter-exchange", "", "x-dead-letter-routing-key",
                            PREFIX + ReadingTopology.DEAD_QUEUE, "x-dead-letter-strategy", "at-least-once"));
            channel.exchangeDeclare(PREFIX + ReadingTopology.EXCHANGE, "topic", true);
            channel.queueBind(PREFIX + ReadingTopology.INGEST_QUEUE, PREFIX + ReadingTopology.EXCHANGE,
                    ReadingTopology.BINDING_KEY);
        }
    }

}
