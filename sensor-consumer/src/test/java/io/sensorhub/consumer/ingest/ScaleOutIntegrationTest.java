package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.rabbitmq.client.AMQP;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.SensorConsumerApplication;
import io.sensorhub.consumer.support.BrokerConsumers;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
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
 * Several instances share the ingest partitions: the same stream of readings, consumed by
 * one instance and by instances that join and leave while it flows, is stored once and
 * gives the same status changes; the broker sees every partition consumed by exactly one
 * instance, the shares within one of each other. (A killed instance: ConsumerCrashIT.)
 */
@SpringBootTest
@Execution(ExecutionMode.CONCURRENT)
@DirtiesContext
class ScaleOutIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "scale.";

    private static final int SENSORS = 40;

    private static final int MESSAGES = 2400;

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final Instant BASE = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
        registry.add("sensorhub.ingest.batch-size", () -> "20");
        registry.add("sensorhub.ingest.rebalance-interval", () -> "300ms");
    }

    @Autowired
    private MeterRegistry meters;

    @Test
    void instancesJoiningAndLeavingMidStreamStoreEveryReadingOnceWithTheChangesOfOne() {
        List<String> one = consume("one", false);
        List<String> many = consume("many", true);
        assertThat(one).hasSizeGreaterThan(200);
        assertThat(many).isEqualTo(one);
    }

    /**
     * Publishes the stream; with {@code scaleOut}, a second instance joins after a
     * quarter, a third after half (the three then split the 16 partitions 6/5/5, as the
     * broker sees it), and the second leaves after three quarters. Answers the status
     * changes.
     */
    private List<String> consume(String tag, boolean scaleOut) {
        String[] sensors = new String[SENSORS];
        for (int i = 0; i < SENSORS; i++) {
            sensors[i] = Sensors.withDefaultThresholds().create(tag + i);
        }
        List<ConfigurableApplicationContext> others = new ArrayList<>();
        List<MeterRegistry> othersMeters = new ArrayList<>();
        double duplicatesBefore = duplicates(this.meters);
        try (ReadingPublisher publisher = new ReadingPublisher(PREFIX)) {
            for (int k = 0; k < MESSAGES; k++) {
                if (scaleOut && k == MESSAGES / 4) {
                    others.add(joinAndAwaitShare(publisher));
                    othersMeters.add(others.get(0).getBean(MeterRegistry.class));
                }
                if (scaleOut && k == MESSAGES / 2) {
                    others.add(joinAndAwaitShare(publisher));
                    othersMeters.add(others.get(1).getBean(MeterRegistry.class));
                    awaitSpread(3);
                }
                if (scaleOut && k == MESSAGES * 3 / 4) {
                    publisher.awaitConfirms();
                    others.get(0).close();
                    awaitSpread(2);
                }
                publisher.publish(sensors[k % SENSORS], body(sensors, k),
                        new AMQP.BasicProperties.Builder().deliveryMode(2).build());
                if (k % 100 == 99) {
                    publisher.awaitConfirms();
                }
            }
            publisher.awaitConfirms();
            await().atMost(WAIT).until(() -> stored(sensors) == expectedReadings());
            assertThat(duplicates(this.meters) - duplicatesBefore).as("readings processed twice (this instance)")
                .isZero();
            for (MeterRegistry other : othersMeters) {
                assertThat(duplicates(other)).as("readings processed twice").isZero();
                assertThat(stored(other)).as("readings stored by a joining instance").isPositive();
            }
        }
        finally {
            others.forEach(ConfigurableApplicationContext::close);
        }
        return changes(sensors);
    }

    /**
     * Starts an instance and waits until it consumes partitions (publishing meanwhile).
     */
    private ConfigurableApplicationContext joinAndAwaitShare(ReadingPublisher publisher) {
        publisher.awaitConfirms();
        ConfigurableApplicationContext instance = startInstance();
        PartitionCoordinator coordinator = instance.getBean(PartitionCoordinator.class);
        await().atMost(WAIT).until(() -> !coordinator.consuming().isEmpty());
        return instance;
    }

    /**
     * Waits until the broker shows every partition with one active consumer, over
     * {@code instances} connections whose shares differ by at most one.
     */
    private static void awaitSpread(int instances) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<Integer, String> active = BrokerConsumers.activeByPartition(PREFIX);
            assertThat(active).hasSize(ReadingPublisher.PARTITIONS);
            Collection<Long> shares = active.values()
                .stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .values();
            assertThat(shares).hasSize(instances);
            long min = shares.stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = shares.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(max - min).isLessThanOrEqualTo(1);
        });
    }

    /**
     * Message k: a reading of sensor k % 40, values cycling through every status; every
     * seventh older than that sensor's newest; every tenth an array of two readings of
     * the sensor. Every reading is unique. (Order is kept per routing key, the sensor's:
     * a reading published under another sensor's key may pass through another partition.)
     */
    private static String body(String[] sensors, int k) {
        int sensor = k % SENSORS;
        long round = k / SENSORS;
        long seconds = (k % 7 == 3) ? round * 10 - 27 : round * 10;
        String first = reading(sensors[sensor], BASE.plusSeconds(seconds), (k * 37) % 100);
        if (k % 10 != 9) {
            return first;
        }
        return array(first, reading(sensors[sensor], BASE.plusSeconds(round * 10 + 5), (k * 53) % 100));
    }

    private static long expectedReadings() {
        return MESSAGES + MESSAGES / 10;
    }

    private static ConfigurableApplicationContext startInstance() {
        List<String> arguments = new ArrayList<>(TestServices.get().springArguments());
        arguments.removeIf(argument -> argument.startsWith("--sensorhub.amqp.prefix="));
        arguments.add("--sensorhub.amqp.prefix=" + PREFIX);
        arguments.add("--sensorhub.ingest.batch-size=20");
        arguments.add("--sensorhub.ingest.rebalance-interval=300ms");
        arguments.add("--server.port=0");
        return new SpringApplicationBuilder(SensorConsumerApplication.class).run(arguments.toArray(String[]::new));
    }

    private static double duplicates(MeterRegistry meters) {
        return meters.get("sensorhub.ingest.readings.duplicate").counter().count();
    }

    private static double stored(MeterRegistry meters) {
        return meters.get("sensorhub.ingest.readings.stored").counter().count();
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
