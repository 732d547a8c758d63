package io.sensorhub.crud.sensors;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.status.Status;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /sensors/{id}} reads the state from Redis, reads through from PostgreSQL on
 * a miss, and deletion evicts.
 */
class SensorStateCacheIntegrationTest extends ApiIntegrationTest {

    @Autowired
    private SensorStateCache cache;

    @Autowired
    private StringRedisTemplate redis;

    @Test
    void theCachedStateIsAnswered() {
        Api client = newClient();
        String id = sensorId("cached");
        client.createSensor(id);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.cache.replace(List.of(new SensorState(id, Status.CRITICAL, 99.5, at, at, 7, null)));

        JsonNode state = body(client.get("/api/v1/sensors/" + id)).get("state");
        assertThat(state.get("status").asString()).isEqualTo("CRITICAL");
        assertThat(state.get("sequence").asLong()).isEqualTo(7);
        assertThat(state.get("value").asDouble()).isEqualTo(99.5);
    }

    @Test
    void aMissIsReadFromPostgresAndCached() {
        Api client = newClient();
        String id = sensorId("miss");
        client.createSensor(id);
        this.jdbc
            .sql("UPDATE sensor_state SET status = 'OK', value = 1, reported_at = now(), since = now(), sequence = 1 "
                    + "WHERE sensor_id = ?")
            .param(id)
            .update();
        assertThat(body(client.get("/api/v1/sensors/" + id)).get("state").get("status").asString()).isEqualTo("OK");
        await().untilAsserted(() -> assertThat(this.cache.find(id))
            .hasValueSatisfying(cached -> assertThat(cached.sequence()).isEqualTo(1)));
    }

    @Test
    void deletingASensorEvictsItsCachedState() {
        Api client = newClient();
        String id = sensorId("evicted");
        client.createSensor(id);
        this.cache.replace(List.of(new SensorState(id, Status.WARNING, 5.0, Instant.now(), Instant.now(), 2, null)));
        assertThat(this.redis.hasKey(this.cache.key(id))).isTrue();
        client.delete("/api/v1/sensors/" + id);
        assertThat(this.redis.hasKey(this.cache.key(id))).isFalse();

        Api other = newClient();
        other.createSensor(id);
        assertThat(body(other.get("/api/v1/sensors/" + id)).get("state").get("status").asString()).isEqualTo("UNKNOWN");
    }

}
