package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.AMQP;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.SensorConsumerApplication;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.sensorhub.consumer.support.Json.array;
import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same interleaved stream of readings of the same sensors, consumed by one instance
 * and by two (the first handing over half-way, as on a graceful shutdown, so the second
 * takes over), gives the same status changes.
 */
@SpringBootTest
@DirtiesContext
class TwoInstancesIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "two.";

    private static final int SENSORS = 5;

    private static final int MESSAGES = 600;

    private static final Instant BASE = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
        registry.add("sensorhub.ingest.batch-size", () -> "20");
        // this instance stores batches in transactions of a few messages; the second does
        // not: same result
        registry.add("sensorhub.ingest.max-readings-per-transaction", () -> "7");
    }

    @Autowired
    private SimpleMessageListenerContainer ingestContainer;

    @Autowired
    private IngestListener listener;

    @Test
    void twoInstancesRecordTheSameStatusChangesAsOne() {
        List<String> one = consume("one", false);
        List<String> two = consume("two", true);
        assertThat(one).hasSizeGreaterThan(50);
        assertThat(two).isEqualTo(one);
    }

    private List<String> consume(String tag, boolean twoInstances) {
        String[] sensors = new String[SENSORS];
        for (int i = 0; i < SENSORS; i++) {
            sensors[i] = Sensors.withDefaultThresholds().create(tag + i);
        }
        try (ConfigurableApplicationContext second = twoInstances ? startSecondInstance() : null;
                ReadingPublisher publisher = new ReadingPublisher(PREFIX)) {
            for (int k = 0; k < MESSAGES; k++) {
                if (twoInstances && k == MESSAGES / 2) {
                    publisher.awaitConfirms();
                    this.listener.handOver();
                    this.ingestContainer.stop();
                }
                publisher.publish(sensors[k % SENSORS], body(sensors, k),
                        new AMQP.BasicProperties.Builder().deliveryMode(2).build());
            }
            publisher.awaitConfirms();
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(sensors) == expectedReadings());
            if (second != null) {
                assertThat(
                        second.getBean(MeterRegistry.class).get("sensorhub.ingest.readings.stored").counter().count())
                    .as("readings stored by the second instance")
                    .isPositive();
            }
        }
        finally {
            this.listener.resume();
            this.ingestContainer.start();
        }
        return changes(sensors);
    }

    /**
     * Message k: a reading of sensor k % 5; some older than that sensor's newest; every
     * tenth an array of two.
     */
    private static String body(String[] sensors, int k) {
        int sensor = k % SENSORS;
        long round = k / SENSORS;
        long seconds = (k % 7 == 3) ? round * 10 - 27 : round * 10;
        String first = reading(sensors[sensor], BASE.plusSeconds(seconds), (k * 37) % 100);
        if (k % 10 != 9) {
            return first;
        }
        int other = (sensor + 1) % SENSORS;
        return array(first, reading(sensors[other], BASE.plusSeconds(round * 10 + 5), (k * 53) % 100));
    }

    private static long expectedReadings() {
        return MESSAGES + MESSAGES / 10;
    }

    private ConfigurableApplicationContext startSecondInstance() {
        List<String> arguments = new ArrayList<>(TestServices.get().springArguments());
        arguments.removeIf(argument -> argument.startsWith("--sensorhub.amqp.prefix="));
        arguments.add("--sensorhub.amqp.prefix=" + PREFIX);
        arguments.add("--sensorhub.ingest.batch-size=20");
        arguments.add("--server.port=0");
        return new SpringApplicationBuilder(SensorConsumerApplication.class).run(arguments.toArray(String[]::new));
    }

    private static long stored(String[] sensors) {
        return Database.count("SELECT count(*) FROM readings WHERE sensor_id = ANY (?)", (Object) sensors);
    }

    /** Every sensor's changes, named by the sensor's position so two runs compare. */
    private static List<String> changes(String[] sensors) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < SENSORS; i++) {
            for (String change : Database.changes(sensors[i])) {
                all.add(i + "/" + change);
            }
        }
        return all;
    }

}
