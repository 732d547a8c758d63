package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.status.Thresholds;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An upgrade from a version with one ingest queue: the readings still waiting in it are
 * stored, before those that reach the partitions meanwhile (so a sensor's older readings
 * still make their status changes), and the drained queue is deleted.
 */
@SpringBootTest
@Execution(ExecutionMode.CONCURRENT)
@DirtiesContext
class LegacyQueueIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "legacy.";

    private static final String LEGACY = PREFIX + ReadingTopology.INGEST_QUEUE;

    private static final Thresholds THRESHOLDS = new Thresholds(20.0, 80.0, 10.0, 90.0);

    private static final double[] VALUES = { 50, 85, 95, 50, 5, 15, 50, 92, 50, 82 };

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
        // started by the test, once the old queue holds readings
        registry.add("sensorhub.ingest.auto-startup", () -> "false");
        registry.add("sensorhub.ingest.rebalance-interval", () -> "300ms");
    }

    @Autowired
    private PartitionCoordinator partitions;

    @Autowired
    private RabbitAdmin admin;

    @Test
    void readingsWaitingInTheSingleQueueOfAnOlderVersionAreStoredFirstAndTheQueueIsDeleted() throws Exception {
        String sensor = Sensors.withDefaultThresholds().create("legacy");
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        int older = 200;
        int newer = 50;
        declareAsVersionOneDid();
        try (ReadingPublisher publisher = new ReadingPublisher(PREFIX)) {
            for (int i = 0; i < older; i++) {
                publisher.publish(sensor, reading(sensor, base.plusSeconds(i), VALUES[i % VALUES.length]),
                        persistent());
            }
            publisher.awaitConfirms();
            // the new version's topology; until sensor-consumer unbinds the old queue,
            // newer readings reach both
            this.admin.initialize();
            for (int i = older; i < older + newer; i++) {
                publisher.publish(sensor, reading(sensor, base.plusSeconds(i), VALUES[i % VALUES.length]),
                        persistent());
            }
            publisher.awaitConfirms();
            assertThat(publisher.messageCount(LEGACY)).isEqualTo(older + newer);
            this.partitions.start();
            await().atMost(Duration.ofSeconds(90))
                .until(() -> Database.count("SELECT count(*) FROM readings WHERE sensor_id = ?", sensor) == older
                        + newer);
            await().atMost(Duration.ofSeconds(60)).until(() -> this.admin.getQueueInfo(LEGACY) == null);
            await().atMost(Duration.ofSeconds(60))
                .until(() -> publisher.partitionQueues().stream().mapToLong(publisher::messageCount).sum() == 0
                        && !this.partitions.consuming().isEmpty());
            assertThat(publisher.messageCount(publisher.deadQueue())).isZero();
        }
        finally {
            this.partitions.stop();
        }
        assertThat(Database.changesAtEpochMillis(sensor)).isEqualTo(expectedChanges(older + newer, base));
    }

    /** The changes the status rules give for readings 0..count-1 in timestamp order. */
    private static List<String> expectedChanges(int count, Instant base) {
        List<String> changes = new ArrayList<>();
        Status current = Status.UNKNOWN;
        for (int i = 0; i < count; i++) {
            Status status = THRESHOLDS.evaluate(VALUES[i % VALUES.length]);
            if (status != current) {
                changes.add(Database.change(changes.size() + 1, current, status, base.plusSeconds(i)));
                current = status;
            }
        }
        return changes;
    }

    private static AMQP.BasicProperties persistent() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
    }

    /** The exchange and the single queue, as versions before 1.1 declared them. */
    private static void declareAsVersionOneDid() throws IOException, TimeoutException {
        try (Connection connection = ReadingPublisher.connectionFactory().newConnection("legacy");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(LEGACY, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-single-active-consumer", true, "x-delivery-limit", 20,
                            "x-overflow", "reject-publish", "x-dead-letter-exchange", "", "x-dead-letter-routing-key",
                            PREFIX + ReadingTopology.DEAD_QUEUE, "x-dead-letter-strategy", "at-least-once"));
            channel.exchangeDeclare(PREFIX + ReadingTopology.EXCHANGE, "topic", true);
            channel.queueBind(LEGACY, PREFIX + ReadingTopology.EXCHANGE, ReadingTopology.BINDING_KEY);
        }
    }

}
