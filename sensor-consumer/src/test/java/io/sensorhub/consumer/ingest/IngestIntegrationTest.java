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
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.logging.Correlation;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.sensorhub.consumer.support.Database.outbox;
import static io.sensorhub.consumer.support.Database.readings;
import static io.sensorhub.consumer.support.Database.transitions;
import static io.sensorhub.consumer.support.Json.array;
import static io.sensorhub.consumer.support.Json.reading;
import static io.sensorhub.consumer.support.Json.reported;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Readings published with a real AMQP client land in PostgreSQL, Redis and the
 * dead-letter queue as specified.
 */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class IngestIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ReadingPublisher publisher;

    private static final List<GetResponse> deadLetters = new ArrayList<>();

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private SensorStateCache cache;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private PartitionCoordinator partitions;

    @Autowired
    private ReadingIngestor ingestor;

    @Autowired
    private LettuceConnectionFactory redisConnections;

    @BeforeAll
    static void connect() {
        publisher = new ReadingPublisher(TestServices.get().amqpPrefix());
    }

    @AfterAll
    static void disconnect() {
        publisher.close();
    }

    private static Instant minutesAgo(int minutes) {
        return Instant.now().minus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Shutdown stops the highest phase first: the partitions are handed over (batches in
     * flight finished, channels closed) while the database, the broker and Redis are
     * still there; the state cache writes what was queued before Redis's connections go.
     */
    @Test
    void onShutdownThePartitionsAreHandedOverFirstAndTheStateCacheWriterStopsBeforeRedis() {
        assertThat(this.partitions.getPhase()).isGreaterThan(this.cache.getPhase());
        assertThat(this.cache.getPhase()).isGreaterThan(this.redisConnections.getPhase());
    }

    @Test
    void singleReadingIsStoredAndIsAChangeFromUnknown() {
        String sensor = Sensors.withDefaultThresholds().create("single");
        Instant at = minutesAgo(1);
        publisher.publish(sensor, reading(sensor, at, 95.0));
        awaitReadings(sensor, 1);
        assertThat(this.jdbc.sql("SELECT status, value, reported_status FROM readings WHERE sensor_id = ?")
            .param(sensor)
            .query((rows, n) -> rows.getString(1) + "/" + rows.getDouble(2) + "/" + rows.getBoolean(3))
            .single()).isEqualTo("CRITICAL/95.0/false");
        awaitChanges(sensor, List.of("1:UNKNOWN->CRITICAL"));
        assertThat(state(sensor)).satisfies(state -> {
            assertThat(state.status()).isEqualTo(Status.CRITICAL);
            assertThat(state.reportedAt()).isEqualTo(at);
            assertThat(state.sequence()).isEqualTo(1);
        });
        assertThat(outbox(sensor)).isEqualTo(1);
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.cache.find(sensor)).get()
                .extracting(SensorState::status, SensorState::sequence, SensorState::reportedAt)
                .containsExactly(Status.CRITICAL, 1L, at));
    }

    @Test
    void readingWithoutContentTypeIsAccepted() {
        String sensor = Sensors.sensor().create("no-content-type");
        publisher.publish(sensor, reading(sensor, minutesAgo(1), 1.0), new AMQP.BasicProperties());
        publisher.awaitConfirms();
        awaitReadings(sensor, 1);
    }

    @Test
    void severalReadingsOfOneSensorInABatchChangeStatusInTimestampOrder() {
        String sensor = Sensors.withDefaultThresholds().create("ordered");
        Instant t1 = minutesAgo(3);
        Instant t2 = minutesAgo(2);
        Instant t3 = minutesAgo(1);
        publisher.publish(sensor,
                array(reading(sensor, t3, 50.0), reading(sensor, t1, 95.0), reading(sensor, t2, 85.0)));
        awaitReadings(sensor, 3);
        awaitChanges(sensor, List.of("1:UNKNOWN->CRITICAL", "2:CRITICAL->WARNING", "3:WARNING->OK"));
        assertThat(this.jdbc.sql("SELECT reported_at FROM status_changes WHERE sensor_id = ? ORDER BY sequence")
            .param(sensor)
            .query(Instant.class)
            .list()).containsExactly(t1, t2, t3);
        assertThat(state(sensor).value()).isEqualTo(50.0);
    }

    @Test
    void sameReadingThreeTimesIsStoredOnceWithOneChange() {
        String sensor = Sensors.withDefaultThresholds().create("duplicate");
        String body = reading(sensor, minutesAgo(1), 85.0);
        publisher.publish(sensor, body);
        publisher.publish(sensor, body);
        publisher.publish(sensor, array(body, body));
        String marker = Sensors.sensor().create("after-duplicates");
        publisher.publish(marker, reading(marker, minutesAgo(1), 1.0));
        awaitReadings(marker, 1);
        assertThat(readings(sensor)).isEqualTo(1);
        assertThat(transitions(sensor)).containsExactly("1:UNKNOWN->WARNING");
        assertThat(outbox(sensor)).isEqualTo(1);
    }

    @Test
    void olderReadingIsStoredButDoesNotChangeTheStatus() {
        String sensor = Sensors.withDefaultThresholds().create("out-of-order");
        Instant newer = minutesAgo(1);
        publisher.publish(sensor, reading(sensor, newer, 50.0));
        awaitReadings(sensor, 1);
        publisher.publish(sensor, reading(sensor, minutesAgo(5), 99.0));
        awaitReadings(sensor, 2);
        assertThat(transitions(sensor)).containsExactly("1:UNKNOWN->OK");
        assertThat(state(sensor)).satisfies(state -> {
            assertThat(state.status()).isEqualTo(Status.OK);
            assertThat(state.reportedAt()).isEqualTo(newer);
            assertThat(state.value()).isEqualTo(50.0);
        });
    }

    @Test
    void reportedStatusWinsOverThresholdsAndSameStatusIsNoChange() {
        String sensor = Sensors.withDefaultThresholds().create("reported");
        publisher.publish(sensor,
                array(reported(sensor, minutesAgo(3), "FAULT"), reading(sensor, minutesAgo(2), 50.0), "{\"sensorId\":\""
                        + sensor + "\",\"timestamp\":\"" + minutesAgo(1) + "\",\"value\":99,\"status\":\"OK\"}"));
        awaitReadings(sensor, 3);
        awaitChanges(sensor, List.of("1:UNKNOWN->FAULT", "2:FAULT->OK"));
        assertThat(state(sensor).value()).isEqualTo(99.0);
    }

    @Test
    void mixedArrayStoresTheValidReadingsAndDeadLettersEachInvalidOne() {
        String sensor = Sensors.sensor().create("mixed");
        String unknown = "unregistered-" + UUID.randomUUID();
        publisher.publish(sensor,
                array(reading(sensor, minutesAgo(2), 1.0), "{\"sensorId\":\"" + sensor + "\",\"value\":2}",
                        reading(unknown, minutesAgo(1), 3.0), reading(sensor, minutesAgo(1), 4.0),
                        "\"" + sensor + "\""));
        awaitReadings(sensor, 2);
        GetResponse missingTimestamp = awaitDeadLetter(sensor + "\",\"value\":2");
        assertThat(header(missingTimestamp)).startsWith("invalid-timestamp: ");
        assertThat(header(awaitDeadLetter(unknown))).startsWith("unknown-sensor: ");
        assertThat(header(awaitDeadLetterMatching(
                response -> new String(response.getBody(), StandardCharsets.UTF_8).equals("\"" + sensor + "\""))))
            .startsWith("not-an-object: ");
    }

    static Stream<Arguments> everyReasonIsDeadLetteredWithItsHeader() {
        String ts = "\"timestamp\":\"" + minutesAgo(1) + "\"";
        return Stream.of(arguments("{not json", "malformed-json"), arguments("[]", "invalid-body"),
                arguments("[1]", "not-an-object"), arguments("{" + ts + ",\"value\":1}", "invalid-sensor-id"),
                arguments("{\"sensorId\":\"%s\",\"timestamp\":\"noon\",\"value\":1}", "invalid-timestamp"),
                arguments("{\"sensorId\":\"%s\",\"timestamp\":\"" + Instant.now().plus(Duration.ofHours(1))
                        + "\",\"value\":1}", "timestamp-in-future"),
                arguments("{\"sensorId\":\"%s\",\"timestamp\":\"" + Instant.now().minus(Duration.ofDays(31))
                        + "\",\"value\":1}", "timestamp-too-old"),
                arguments("{\"sensorId\":\"%s\"," + ts + ",\"value\":\"hot\"}", "invalid-value"),
                arguments("{\"sensorId\":\"%s\"," + ts + "}", "invalid-value"),
                arguments("{\"sensorId\":\"%s\"," + ts + ",\"value\":1,\"status\":\"OFFLINE\"}", "invalid-status"),
                arguments("{\"sensorId\":\"nobody-%s\"," + ts + ",\"value\":1}", "unknown-sensor"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource
    void everyReasonIsDeadLetteredWithItsHeader(String template, String reason) {
        String sensor = Sensors.sensor().create("reason");
        String messageId = UUID.randomUUID().toString();
        publisher.publish(sensor, template.replace("%s", sensor),
                new AMQP.BasicProperties.Builder().contentType("application/json")
                    .messageId(messageId)
                    .deliveryMode(2)
                    .build());
        publisher.awaitConfirms();
        GetResponse deadLetter = awaitDeadLetterWithId(messageId);
        assertThat(header(deadLetter)).startsWith(reason + ": ");
        assertThat(String.valueOf(deadLetter.getProps().getHeaders().get(ReadingTopology.REASON_HEADER)))
            .isEqualTo(reason);
        assertThat(readings(sensor)).isZero();
        assertThat(this.meters.get("sensorhub.ingest.dead.lettered").tag("reason", reason).counter().count())
            .isPositive();
    }

    @Test
    void aDeadLetterIsLoggedUnderItsMessageId(CapturedOutput output) {
        String sensor = Sensors.sensor().create("logged-dead");
        String messageId = "msg-" + UUID.randomUUID();
        publisher.publish(sensor, "{not json",
                new AMQP.BasicProperties.Builder().contentType("application/json")
                    .messageId(messageId)
                    .deliveryMode(2)
                    .build());
        publisher.awaitConfirms();
        awaitDeadLetterWithId(messageId);
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(output.getOut())
                .containsPattern(Pattern.quote("[" + messageId + "] ") + ".*Dead-lettered .*malformed-json"));
    }

    /**
     * Each change is logged (DEBUG) under the correlation id of the reading that caused
     * it. Another test class's application context starting or stopping meanwhile
     * re-initialises logging and with it every level set here, so a try whose change was
     * not logged sets DEBUG again and publishes the next change, a few times at most.
     */
    @Test
    void aStatusChangeIsLoggedUnderTheIdentityOfItsReading(CapturedOutput output) {
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        String sensor = Sensors.withDefaultThresholds().create("logged-change");
        Instant first = minutesAgo(1);
        try {
            for (int change = 1;; change++) {
                logging.setLogLevel(ReadingIngestor.class.getName(), LogLevel.DEBUG);
                Instant timestamp = first.plusSeconds(change);
                // OK, CRITICAL, OK, ...: every reading changes the status
                publisher.publish(sensor, reading(sensor, timestamp, (change % 2 == 1) ? 50.0 : 1.0));
                awaitReadings(sensor, change);
                Pattern logged = Pattern.compile(Pattern.quote("[" + Correlation.ofReading(sensor, timestamp) + "] ")
                        + ".*Sensor " + Pattern.quote(sensor) + " changed \\w+ -> \\w+ \\(sequence " + change + ",");
                try {
                    await().atMost(Duration.ofSeconds(5)).until(() -> logged.matcher(output.getOut()).find());
                    return;
                }
                catch (ConditionTimeoutException ex) {
                    assertThat(change).as("changes published without one being logged").isLessThan(5);
                }
            }
        }
        finally {
            logging.setLogLevel(ReadingIngestor.class.getName(), null);
        }
    }

    @Test
    void metricsCountStoredReadingsBatchesAndLatency() {
        String sensor = Sensors.sensor().create("metrics");
        publisher.publish(sensor, reading(sensor, minutesAgo(1), 1.0));
        awaitReadings(sensor, 1);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(this.meters.get("sensorhub.ingest.readings.stored").counter().count()).isPositive();
            assertThat(this.meters.get("sensorhub.ingest.batch.messages").summary().count()).isPositive();
            assertThat(this.meters.get("sensorhub.ingest.batch.duration").timer().count()).isPositive();
            assertThat(this.meters.get("sensorhub.ingest.lag").timer().count()).isPositive();
        });
    }

    private void awaitReadings(String sensor, int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(readings(sensor)).isEqualTo(count));
    }

    private void awaitChanges(String sensor, List<String> expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(transitions(sensor)).isEqualTo(expected));
    }

    private SensorState state(String sensor) {
        return this.jdbc.sql("SELECT status, value, reported_at, sequence FROM sensor_state WHERE sensor_id = ?")
            .param(sensor)
            .query((rows, n) -> new SensorState(sensor, Status.valueOf(rows.getString(1)), rows.getDouble(2),
                    rows.getTimestamp(3).toInstant(), null, rows.getLong(4), null))
            .single();
    }

    private static GetResponse awaitDeadLetter(String bodyFragment) {
        return awaitDeadLetterMatching(
                response -> new String(response.getBody(), StandardCharsets.UTF_8).contains(bodyFragment));
    }

    private static GetResponse awaitDeadLetterWithId(String messageId) {
        return awaitDeadLetterMatching(response -> messageId.equals(response.getProps().getMessageId()));
    }

    private static GetResponse awaitDeadLetterMatching(java.util.function.Predicate<GetResponse> matches) {
        return await().atMost(WAIT).until(() -> {
            deadLetters.addAll(publisher.drainDeadLetters());
            return deadLetters.stream().filter(matches).findFirst();
        }, Optional::isPresent).get();
    }

    private static String header(GetResponse response) {
        Map<String, Object> headers = response.getProps().getHeaders();
        return String.valueOf(headers.get(ReadingTopology.ERROR_HEADER));
    }

}
