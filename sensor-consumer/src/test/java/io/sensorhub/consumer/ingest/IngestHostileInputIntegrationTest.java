package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.sensorhub.common.readings.HostileBodies.Body;
import io.sensorhub.common.readings.HostileBodies;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.sensorhub.consumer.support.Json.array;
import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile messages and restarts (docs/ingest.md): whatever one message holds, it ends in
 * the dead-letter queue with a bounded reason header and the readings published after it
 * are still stored; restarts never dead-letter a valid reading.
 */
@SpringBootTest
@Execution(ExecutionMode.CONCURRENT)
@DirtiesContext
class IngestHostileInputIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "hostile.";

    private static final Duration WAIT = Duration.ofSeconds(45);

    private static final int MAX_HEADER_BYTES = 1024;

    private static ReadingPublisher publisher;

    private static final List<GetResponse> deadLetters = new ArrayList<>();

    @Autowired
    private PartitionCoordinator partitions;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
    }

    @BeforeAll
    static void connect() {
        publisher = new ReadingPublisher(PREFIX);
    }

    @AfterAll
    static void disconnect() {
        publisher.close();
    }

    /**
     * The reproduced halt: a 140,000-character sensor id, which the dead letter's header
     * quoted whole. Beyond the JSON string limit (64 Ki characters by default) the parser
     * stops early ({@code malformed-json}); below it the id breaks the pattern
     * ({@code invalid-sensor-id}); either way the header stays within 1 KiB and the next
     * reading is stored.
     */
    @Test
    void aHugeSensorIdIsDeadLetteredWithABoundedHeaderAndIngestGoesOn() {
        String sensor = Sensors.sensor().create("after-huge-id");
        String overStringLimit = publish(
                "{\"sensorId\":\"" + "A".repeat(140_000) + "\",\"timestamp\":\"" + minutesAgo(1) + "\",\"value\":1}");
        String overPattern = publish(
                "{\"sensorId\":\"" + "A".repeat(60_000) + "\",\"timestamp\":\"" + minutesAgo(1) + "\",\"value\":1}");
        publisher.publish(sensor, reading(sensor, minutesAgo(1), 1.0));
        awaitReadings(sensor, 1);
        assertDeadLetter(overStringLimit, "malformed-json");
        assertDeadLetter(overPattern, "invalid-sensor-id");
    }

    /**
     * A failure retrying cannot fix, whose message is huge (it quotes the whole reading):
     * today's header held it all, could not be sent, and the batch was retried for ever.
     */
    @Test
    void aFailureThatRepeatsForOneMessageDeadLettersItAsProcessingFailed() {
        String poison = Sensors.sensor().create("poison");
        String other = Sensors.sensor().create("beside-poison");
        Database.execute("""
                CREATE OR REPLACE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.sensor_id LIKE 'poison-%' THEN
                        RAISE EXCEPTION 'refused % %', NEW.sensor_id, repeat('x', 200000);
                    END IF;
                    RETURN NEW;
                END $$""");
        Database.execute(
                "CREATE TRIGGER test_poison BEFORE INSERT ON readings FOR EACH ROW EXECUTE FUNCTION test_poison()");
        try {
            String messageId = publish(reading(poison, minutesAgo(1), 1.0));
            publisher.publish(other, reading(other, minutesAgo(1), 2.0));
            awaitReadings(other, 1);
            GetResponse deadLetter = assertDeadLetter(messageId, "processing-failed");
            assertThat(new String(deadLetter.getBody(), StandardCharsets.UTF_8)).contains(poison);
        }
        finally {
            Database.execute("DROP TRIGGER test_poison ON readings");
        }
        String after = Sensors.sensor().create("after-poison");
        publisher.publish(after, reading(after, minutesAgo(1), 3.0));
        awaitReadings(after, 1);
    }

    @Test
    void sensorIdsOutsideThePatternAreDeadLetteredBeforeTheDatabase() {
        String sensor = Sensors.sensor().create("beside-bad-ids");
        List<String> badIds = List.of("nul\\u0000byte", "x".repeat(65), "with space", "caf\u00e9", "slash/id", "");
        List<String> messageIds = new ArrayList<>();
        for (String badId : badIds) {
            messageIds.add(publish(array(reading(sensor, minutesAgo(badIds.size() + 1 - messageIds.size()), 1.0),
                    "{\"sensorId\":\"" + badId + "\",\"timestamp\":\"" + minutesAgo(1) + "\",\"value\":1}")));
        }
        publisher.awaitConfirms();
        awaitReadings(sensor, badIds.size());
        for (String messageId : messageIds) {
            assertDeadLetter(messageId, "invalid-sensor-id");
        }
    }

    @Test
    void aMessageOverTheSizeLimitIsDeadLetteredAsTooLargeWithItsBody() {
        String sensor = Sensors.sensor().create("too-large");
        String padding = "p".repeat(1024 * 1024);
        String body = "{\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + minutesAgo(1) + "\",\"value\":1,\"pad\":\""
                + padding + "\"}";
        String messageId = publish(body);
        GetResponse deadLetter = assertDeadLetter(messageId, "too-large");
        assertThat(deadLetter.getBody()).hasSize(body.length());
        assertThat(readings(sensor)).isZero();
    }

    /**
     * Each hand-over returns the unacknowledged messages of the stopping consumer, and a
     * quorum queue counts every return: a backlog that sees more hand-overs than the
     * broker's delivery limit must still be stored, not dead-lettered. The consumer
     * instances are simulated by a plain client that takes the prefetch and closes.
     */
    @Test
    void restartsAndFailOversNeverDeadLetterAValidReading() throws Exception {
        String sensor = Sensors.sensor().create("restarts");
        int count = 30;
        this.partitions.stop();
        try {
            for (int i = 0; i < count; i++) {
                publisher.publish(sensor, reading(sensor, minutesAgo(count + 1).plusSeconds(i), i),
                        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build());
            }
            publisher.awaitConfirms();
            for (int handOver = 0; handOver < 25; handOver++) {
                takePrefetchAndClose(count);
            }
        }
        finally {
            this.partitions.start();
        }
        awaitReadings(sensor, count);
        drainDeadLetters();
        assertThat(deadLetters)
            .noneMatch(response -> new String(response.getBody(), StandardCharsets.UTF_8).contains(sensor));
    }

    /**
     * 2,000 generated messages, valid and hostile, published with confirms: every valid
     * reading is stored, every invalid part dead-lettered with a reason, and valid
     * readings keep being stored while hostile ones arrive.
     */
    @Test
    void everyGeneratedMessageIsStoredOrDeadLetteredWithAReason() {
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sensors.add(Sensors.sensor().create("fuzz"));
        }
        HostileBodies bodies = new HostileBodies(20261202L, sensors, minutesAgo(30), 1024 * 1024);
        Set<String> expectDeadLetter = new HashSet<>();
        long valid = 0;
        for (int half = 0; half < 2; half++) {
            for (int i = 0; i < 1000; i++) {
                Body body = bodies.next(400);
                String messageId = UUID.randomUUID().toString();
                publisher.publish("fuzz", body.bytes(),
                        new AMQP.BasicProperties.Builder().messageId(messageId).deliveryMode(2).build());
                valid += body.valid().size();
                if (body.deadLetter()) {
                    expectDeadLetter.add(messageId);
                }
            }
            publisher.awaitConfirms();
            long storedSoFar = valid;
            await().atMost(WAIT).untilAsserted(() -> assertThat(readings(sensors)).isEqualTo(storedSoFar));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            drainDeadLetters();
            Set<String> deadLettered = new HashSet<>();
            deadLetters.forEach(response -> deadLettered.add(response.getProps().getMessageId()));
            assertThat(deadLettered).containsAll(expectDeadLetter);
        });
        assertThat(expectDeadLetter).hasSizeGreaterThan(500);
        assertThat(deadLetters).allSatisfy(response -> {
            assertThat(response.getProps().getHeaders()).containsKey(ReadingTopology.REASON_HEADER);
            assertThat(String.valueOf(response.getProps().getHeaders().get(ReadingTopology.ERROR_HEADER)))
                .hasSizeLessThanOrEqualTo(MAX_HEADER_BYTES);
        });
    }

    /**
     * A consumer instance that receives {@code expected} messages and stops without
     * acknowledging them.
     */
    private static void takePrefetchAndClose(int expected) throws IOException, TimeoutException {
        ConnectionFactory factory = ReadingPublisher.connectionFactory();
        try (Connection connection = factory.newConnection("hand-over")) {
            Channel channel = connection.createChannel();
            channel.basicQos(expected);
            AtomicInteger received = new AtomicInteger();
            for (String queue : publisher.partitionQueues()) {
                channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                            byte[] body) {
                        received.incrementAndGet();
                    }
                });
            }
            await().atMost(WAIT).until(() -> received.get() >= expected);
        }
    }

    private static String publish(String body) {
        String messageId = UUID.randomUUID().toString();
        publisher.publish("hostile", body,
                new AMQP.BasicProperties.Builder().contentType("application/json")
                    .messageId(messageId)
                    .deliveryMode(2)
                    .build());
        publisher.awaitConfirms();
        return messageId;
    }

    private static GetResponse assertDeadLetter(String messageId, String reason) {
        GetResponse deadLetter = await().atMost(WAIT).until(() -> {
            drainDeadLetters();
            return deadLetters.stream()
                .filter(response -> messageId.equals(response.getProps().getMessageId()))
                .findFirst();
        }, Optional::isPresent).get();
        String header = String.valueOf(deadLetter.getProps().getHeaders().get(ReadingTopology.ERROR_HEADER));
        assertThat(header).startsWith(reason + ": ");
        assertThat(header.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX_HEADER_BYTES);
        assertThat(String.valueOf(deadLetter.getProps().getHeaders().get(ReadingTopology.REASON_HEADER)))
            .isEqualTo(reason);
        return deadLetter;
    }

    private static void drainDeadLetters() {
        deadLetters.addAll(publisher.drainDeadLetters());
    }

    private static void awaitReadings(String sensor, int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(readings(sensor)).isEqualTo(count));
    }

    private static long readings(List<String> sensors) {
        return Database.count("SELECT count(*) FROM readings WHERE sensor_id = ANY (?)",
                (Object) sensors.toArray(String[]::new));
    }

    private static long readings(String sensor) {
        return Database.count("SELECT count(*) FROM readings WHERE sensor_id = ?", sensor);
    }

    private static Instant minutesAgo(int minutes) {
        return Instant.now().minus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    }

}
