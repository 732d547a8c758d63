package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.sensorhub.common.test.TcpProxy;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL becomes unreachable for a few seconds during ingest (through a TCP proxy
 * this test controls): nothing is lost or dead-lettered, and ingest resumes by itself.
 */
@SpringBootTest
@Execution(ExecutionMode.CONCURRENT)
@DirtiesContext
class PostgresOutageIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "pg-outage.";

    private static final TcpProxy postgres = new TcpProxy(TestServices.get().postgresHost(),
            TestServices.get().postgresPort());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        String url = TestServices.get().jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
        registry.add("sensorhub.ingest.retry-max-delay", () -> "1s");
    }

    @AfterAll
    static void closeProxy() {
        postgres.close();
    }

    @Test
    void readingsPublishedWhileTheDatabaseIsDownAreStoredOnceItIsBack() throws Exception {
        String[] sensors = { Sensors.withDefaultThresholds().create("pg-outage"),
                Sensors.withDefaultThresholds().create("pg-outage") };
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        int perSensor = 300;
        try (ReadingPublisher publisher = new ReadingPublisher(PREFIX)) {
            publishRange(publisher, sensors, base, 0, 100);
            await().atMost(Duration.ofSeconds(20)).until(() -> stored(sensors) >= 20);
            postgres.cut(); // most likely in the middle of a transaction
            publishRange(publisher, sensors, base, 100, 200);
            Thread.sleep(4000);
            assertThat(stored(sensors)).isLessThan(400);
            postgres.restore();
            publishRange(publisher, sensors, base, 200, perSensor);
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(sensors) == 2L * perSensor);
            assertThat(publisher.drainDeadLetters()).isEmpty();
        }
        for (String sensor : sensors) {
            List<String> changes = Database.changes(sensor);
            assertThat(changes)
                .hasSize((int) Database.count("SELECT sequence FROM sensor_state WHERE sensor_id = ?", sensor));
            assertThat(changes).hasSize(expectedChanges(perSensor));
        }
    }

    /**
     * Values alternate 50 (OK) and 95 (CRITICAL) every 10 readings: a change every 10
     * readings.
     */
    private static void publishRange(ReadingPublisher publisher, String[] sensors, Instant base, int from, int to) {
        for (int i = from; i < to; i++) {
            for (String sensor : sensors) {
                publisher.publish(sensor, reading(sensor, base.plusSeconds(i), value(i)), persistent());
            }
        }
        publisher.awaitConfirms();
    }

    private static double value(int i) {
        return ((i / 10) % 2 == 0) ? 50.0 : 95.0;
    }

    private static int expectedChanges(int readings) {
        return (readings + 9) / 10;
    }

    private static com.rabbitmq.client.AMQP.BasicProperties persistent() {
        return new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/json")
            .deliveryMode(2)
            .build();
    }

    private static long stored(String[] sensors) {
        return Database.count("SELECT count(*) FROM readings WHERE sensor_id = ANY (?)", (Object) sensors);
    }

}
