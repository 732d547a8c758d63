package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.test.TcpProxy;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.SensorConsumerApplication;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.AfterAll;
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

import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One instance loses the database while the other keeps it: the cut-off instance stops
 * consuming its partitions (it can store nothing, and as their active consumer it would
 * hold their readings), the other takes them over, and readings of every partition keep
 * being stored. When the database is back, the cut-off instance takes its share again.
 */
@SpringBootTest
@Execution(ExecutionMode.CONCURRENT)
@DirtiesContext
class CutOffInstanceIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "cut-off.";

    private static final TcpProxy postgres = new TcpProxy(TestServices.get().postgresHost(),
            TestServices.get().postgresPort());

    private static final Duration WAIT = Duration.ofSeconds(90);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
        registry.add("sensorhub.ingest.rebalance-interval", () -> "300ms");
        registry.add("sensorhub.ingest.member-timeout", () -> "4s");
    }

    @AfterAll
    static void closeProxy() {
        postgres.close();
    }

    @Autowired
    private PartitionCoordinator partitions;

    @Test
    void anInstanceCutOffFromTheDatabaseHandsItsPartitionsToTheOthers() {
        String[] sensors = new String[40];
        for (int i = 0; i < sensors.length; i++) {
            sensors[i] = Sensors.sensor().create("cut-off");
        }
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        try (ConfigurableApplicationContext other = startBehindProxy();
                ReadingPublisher publisher = new ReadingPublisher(PREFIX)) {
            PartitionCoordinator cutOff = other.getBean(PartitionCoordinator.class);
            await().atMost(WAIT)
                .until(() -> cutOff.consuming().size() == ReadingPublisher.PARTITIONS / 2
                        && this.partitions.consuming().size() == ReadingPublisher.PARTITIONS / 2);
            postgres.cut();
            for (String sensor : sensors) {
                publisher.publish(sensor, reading(sensor, base, 1.0));
            }
            await().atMost(WAIT).until(() -> stored(sensors) == sensors.length);
            assertThat(this.partitions.consuming()).hasSize(ReadingPublisher.PARTITIONS);
            assertThat(cutOff.consuming()).isEmpty();
            postgres.restore();
            for (String sensor : sensors) {
                publisher.publish(sensor, reading(sensor, base.plusSeconds(1), 2.0));
            }
            await().atMost(WAIT).until(() -> stored(sensors) == 2L * sensors.length);
            await().atMost(WAIT).until(() -> cutOff.consuming().size() == ReadingPublisher.PARTITIONS / 2);
        }
    }

    /** A second instance whose connections to PostgreSQL go through the proxy. */
    private static ConfigurableApplicationContext startBehindProxy() {
        String url = TestServices.get().jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/");
        List<String> arguments = new ArrayList<>(TestServices.get().springArguments());
        arguments.removeIf(argument -> argument.startsWith("--sensorhub.amqp.prefix=")
                || argument.startsWith("--spring.datasource.url="));
        arguments.add("--spring.datasource.url=" + url);
        arguments.add("--spring.datasource.hikari.connection-timeout=1000");
        arguments.add("--sensorhub.amqp.prefix=" + PREFIX);
        arguments.add("--sensorhub.ingest.rebalance-interval=300ms");
        arguments.add("--sensorhub.ingest.member-timeout=4s");
        arguments.add("--sensorhub.ingest.retry-max-delay=1s");
        arguments.add("--server.port=0");
        return new SpringApplicationBuilder(SensorConsumerApplication.class).run(arguments.toArray(String[]::new));
    }

    private static long stored(String[] sensors) {
        return Database.count("SELECT count(*) FROM readings WHERE sensor_id = ANY (?)", (Object) sensors);
    }

}
