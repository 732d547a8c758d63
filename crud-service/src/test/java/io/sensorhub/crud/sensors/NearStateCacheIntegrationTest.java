package io.sensorhub.crud.sensors;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.status.Status;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * crud-service keeps the states it read in memory, and Redis's invalidations keep that
 * copy exact: a change written by another connection (as sensor-consumer writes) is seen
 * by the next read, and a lost tracking connection forgets everything until tracking is
 * on again.
 */
class NearStateCacheIntegrationTest extends ApiIntegrationTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(30);

    @Autowired
    private NearStateCache near;

    @Autowired
    private SensorStateCache cache;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private LettuceConnectionFactory factory;

    @Test
    void aChangeWrittenByAnotherConnectionReachesTheNextRead() {
        Api client = newClient();
        String id = sensorId("near");
        client.createSensor(id);
        await().atMost(PROMPTLY).until(this.near::isTracking);
        this.cache.replace(List.of(state(id, Status.OK, 3)));

        assertThat(sequenceOf(client, id)).isEqualTo(3);
        double hitsBefore = hits();
        assertThat(sequenceOf(client, id)).isEqualTo(3);
        assertThat(hits()).as("the second read is answered from memory").isGreaterThan(hitsBefore);

        this.cache.put(List.of(state(id, Status.CRITICAL, 4)));
        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(sequenceOf(client, id)).isEqualTo(4));
    }

    @Test
    void aLostTrackingConnectionForgetsWhatItKeptAndTrackingResumes() {
        Api client = newClient();
        String id = sensorId("reconnect");
        client.createSensor(id);
        await().atMost(PROMPTLY).until(this.near::isTracking);
        this.cache.replace(List.of(state(id, Status.OK, 1)));
        assertThat(sequenceOf(client, id)).isEqualTo(1);
        assertThat(sequenceOf(client, id)).isEqualTo(1);

        killTrackingConnection();
        // Written while the connection is gone: no invalidation can reach this instance
        // for it.
        this.cache.put(List.of(state(id, Status.WARNING, 2)));

        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(sequenceOf(client, id)).isEqualTo(2));
        await().atMost(PROMPTLY).until(this.near::isTracking);
        assertThat(sequenceOf(client, id)).isEqualTo(2);
        double hitsBefore = hits();
        assertThat(sequenceOf(client, id)).isEqualTo(2);
        assertThat(hits()).as("states are kept again after the reconnection").isGreaterThan(hitsBefore);
        this.cache.put(List.of(state(id, Status.CRITICAL, 3)));
        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(sequenceOf(client, id)).isEqualTo(3));
    }

    private long sequenceOf(Api client, String id) {
        return body(client.get("/api/v1/sensors/" + id)).get("state").get("sequence").asLong();
    }

    private double hits() {
        return this.meters.get("sensorhub.cache.near.requests").tag("result", "hit").counter().count();
    }

    private static SensorState state(String id, Status status, long sequence) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new SensorState(id, status, (double) sequence, at, at, sequence, null);
    }

    /**
     * Closes this instance's tracking connection from the server side, as a network
     * failure would.
     */
    private void killTrackingConnection() {
        long id = this.near.connectionId();
        try (StatefulRedisConnection<String, String> other = ((RedisClient) this.factory.getRequiredNativeClient())
            .connect()) {
            assertThat(other.sync().clientKill(KillArgs.Builder.id(id))).isEqualTo(1);
        }
    }

}
