package io.sensorhub.consumer.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorState.PendingStatus;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.sensorhub.consumer.support.Database.outbox;
import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hysteresis and minimum duration end to end: readings published to RabbitMQ, stored and
 * decided by the running sensor-consumer, changes read from PostgreSQL. A sensor flapping
 * around its threshold every second for two minutes causes no change; a sustained
 * crossing causes exactly one, at the reading that completes the minimum duration, and
 * the status waiting for it shows as pending meanwhile (in PostgreSQL and Redis).
 */
@SpringBootTest
class FlappingSensorIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final int FLAPPING_SECONDS = 120;

    private static ReadingPublisher publisher;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private SensorStateStore store;

    @Autowired
    private SensorStateCache cache;

    @BeforeAll
    static void connect() {
        publisher = new ReadingPublisher(TestServices.get().amqpPrefix());
    }

    @AfterAll
    static void disconnect() {
        publisher.close();
    }

    /**
     * warnHigh 80, hysteresis 2, minimum duration 30 s; a twin sensor without either gets
     * the same flapping readings and changes at every one, so the flapping does cross the
     * threshold.
     */
    @Test
    void flappingChangesNothingAndASustainedCrossingChangesOnceAtTheReadingThatCompletesTheDuration() {
        String sensor = Sensors.withDefaultThresholds().hysteresis(2).minDurationSeconds(30).create("flapping");
        String twin = Sensors.withDefaultThresholds().create("flapping-twin");
        Instant start = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        publish(List.of(sensor, twin), start, 50.0);
        for (int second = 1; second <= FLAPPING_SECONDS; second++) {
            publish(List.of(sensor, twin), start.plusSeconds(second), (second % 2 == 1) ? 81.0 : 79.0);
        }
        awaitNewest(sensor, start.plusSeconds(FLAPPING_SECONDS));
        awaitNewest(twin, start.plusSeconds(FLAPPING_SECONDS));
        assertThat(changes(sensor)).containsExactly("1:UNKNOWN->OK:50.0@" + start);
        assertThat(changes(twin)).hasSize(1 + FLAPPING_SECONDS);

        Instant crossing = start.plusSeconds(FLAPPING_SECONDS + 1);
        for (int second = 0; second < 10; second++) {
            publish(List.of(sensor), crossing.plusSeconds(second), sustained(second));
        }
        awaitNewest(sensor, crossing.plusSeconds(9));
        PendingStatus pending = new PendingStatus(Status.WARNING, crossing);
        assertThat(this.store.find(sensor).orElseThrow()).extracting(SensorState::status, SensorState::pending)
            .containsExactly(Status.OK, pending);
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.cache.find(sensor))
                .hasValueSatisfying(cached -> assertThat(cached.pending()).isEqualTo(pending)));
        assertThat(changes(sensor)).hasSize(1);

        for (int second = 10; second <= 40; second++) {
            publish(List.of(sensor), crossing.plusSeconds(second), sustained(second));
        }
        awaitNewest(sensor, crossing.plusSeconds(40));
        assertThat(changes(sensor)).containsExactly("1:UNKNOWN->OK:50.0@" + start,
                "2:OK->WARNING:" + sustained(30) + "@" + crossing.plusSeconds(30));
        assertThat(this.store.find(sensor).orElseThrow()).extracting(SensorState::status, SensorState::pending)
            .containsExactly(Status.WARNING, null);
        assertThat(outbox(sensor)).isEqualTo(2);
    }

    /**
     * Back from WARNING: 79 is within the hysteresis and keeps WARNING, interrupting the
     * wait for OK; 77 is more than 2 back inside and, sustained, returns to OK once.
     */
    @Test
    void hysteresisKeepsTheStatusAndASustainedReturnChangesOnce() {
        String sensor = Sensors.withDefaultThresholds().hysteresis(2).minDurationSeconds(30).create("returning");
        Instant start = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        publish(List.of(sensor), start, 85.0);
        for (int second = 1; second <= 60; second++) {
            publish(List.of(sensor), start.plusSeconds(second), (second % 20 == 0) ? 79.0 : 77.0);
        }
        Instant back = start.plusSeconds(61);
        for (int second = 0; second <= 40; second++) {
            publish(List.of(sensor), back.plusSeconds(second), 77.0 - second / 100.0);
        }
        awaitNewest(sensor, back.plusSeconds(40));
        assertThat(changes(sensor)).containsExactly("1:UNKNOWN->WARNING:85.0@" + start,
                "2:WARNING->OK:" + (77.0 - 30 / 100.0) + "@" + back.plusSeconds(30));
    }

    /** Values 85.00, 85.01, …: each reading recognisable by its value. */
    private static double sustained(int second) {
        return (8500 + second) / 100.0;
    }

    private static void publish(List<String> sensors, Instant timestamp, double value) {
        for (String sensor : sensors) {
            publisher.publish(sensor, reading(sensor, timestamp, value));
        }
    }

    private void awaitNewest(String sensor, Instant timestamp) {
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.store.find(sensor))
                .hasValueSatisfying(state -> assertThat(state.reportedAt()).isEqualTo(timestamp)));
    }

    private List<String> changes(String sensor) {
        return this.jdbc.sql("""
                SELECT sequence, previous_status, status, value, reported_at FROM status_changes
                WHERE sensor_id = ? ORDER BY sequence""")
            .param(sensor)
            .query((rows, n) -> rows.getLong(1) + ":" + rows.getString(2) + "->" + rows.getString(3) + ":"
                    + rows.getDouble(4) + "@" + rows.getTimestamp(5).toInstant())
            .list();
    }

}
