package io.sensorhub.consumer.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.TcpProxy;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis unreachable (through a TCP proxy this test controls): ingest goes on and loses
 * nothing; once Redis is back, its entries equal {@code sensor_state} within one
 * reconciliation interval.
 */
@SpringBootTest
@Execution(ExecutionMode.CONCURRENT)
@DirtiesContext
class RedisOutageIntegrationTest {

    private static final String PREFIX = TestServices.get().amqpPrefix() + "redis-outage.";

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private static final TcpProxy redis = new TcpProxy(TestServices.get().redisHost(), TestServices.get().redisPort());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", redis::port);
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("sensorhub.amqp.prefix", () -> PREFIX);
        registry.add("sensorhub.reconcile.interval", () -> INTERVAL.toSeconds() + "s");
        registry.add("sensorhub.reconcile.probe-interval", () -> "500ms");
    }

    @AfterAll
    static void closeProxy() {
        redis.close();
    }

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private SensorStateCache cache;

    @Autowired
    private SensorStateStore store;

    @Autowired
    private CacheReconciler reconciler;

    @Autowired
    private MeterRegistry meters;

    @Test
    void ingestGoesOnWithoutRedisAndTheCacheIsRepairedWhenItIsBack() {
        String[] sensors = new String[20];
        for (int i = 0; i < sensors.length; i++) {
            sensors[i] = Sensors.withDefaultThresholds().create("redis-outage");
        }
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        redis.cut();
        try (ReadingPublisher publisher = new ReadingPublisher(PREFIX)) {
            for (int i = 0; i < 50; i++) {
                for (String sensor : sensors) {
                    publisher.publish(sensor, reading(sensor, base.plusSeconds(i), (i % 7 == 6) ? 95.0 : 50.0),
                            new com.rabbitmq.client.AMQP.BasicProperties.Builder().deliveryMode(2).build());
                }
            }
            publisher.awaitConfirms();
            // Stored while Redis is away: ingest does not wait for the cache (a deadline,
            // not a speed).
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(sensors) == 1000);
        }
        assertThat(this.cache.find(sensors[0])).isEmpty();
        redis.restore();
        await().atMost(INTERVAL.plusSeconds(30)).untilAsserted(() -> {
            for (String sensor : sensors) {
                assertCachedEqualsDatabase(sensor);
            }
        });
    }

    @Test
    void entriesAheadOfTheDatabaseOrMissingAreRepaired() {
        String ahead = Sensors.sensor().create("ahead");
        String missing = Sensors.sensor().create("missing");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        this.cache.replace(java.util.List.of(new SensorState(ahead, Status.CRITICAL, 1.0, at, at, 99, null)));
        this.cache.evict(missing);
        // the scheduled reconciliation of this or another context of the JVM may get
        // there
        // first: what counts is that both are repaired
        this.reconciler.reconcile();
        assertCachedEqualsDatabase(ahead);
        assertCachedEqualsDatabase(missing);
    }

    private void assertCachedEqualsDatabase(String sensor) {
        SensorState truth = this.store.find(sensor).orElseThrow();
        assertThat(this.cache.find(sensor)).hasValueSatisfying(cached -> assertThat(CacheReconciler.same(cached, truth))
            .as("cache %s equals database %s", cached, truth)
            .isTrue());
    }

    private double repairs() {
        return this.meters.get("sensorhub.cache.reconcile.repairs").counter().count();
    }

    private long stored(String[] sensors) {
        return this.jdbc.sql("SELECT count(*) FROM readings WHERE sensor_id = ANY (?)")
            .param(sensors)
            .query(Long.class)
            .single();
    }

}
