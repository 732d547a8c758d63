package io.sensorhub.crud.sensors;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis unreachable (a closed port), sensors still answer 200 with their state from
 * PostgreSQL.
 */
@TestPropertySource(properties = { "spring.data.redis.port=1", "spring.data.redis.timeout=200ms",
        "spring.data.redis.connect-timeout=200ms" })
class RedisDownIntegrationTest extends ApiIntegrationTest {

    @Test
    void sensorReadsAnswerFromPostgres() {
        Api client = newClient();
        String id = sensorId("noredis");
        client.createSensor(id);
        this.jdbc
            .sql("UPDATE sensor_state SET status = 'FAULT', value = NULL, reported_at = now(), since = now(), "
                    + "sequence = 4 WHERE sensor_id = ?")
            .param(id)
            .update();

        JsonNode sensor = body(client.get("/api/v1/sensors/" + id));
        assertThat(sensor.get("state").get("status").asString()).isEqualTo("FAULT");
        assertThat(sensor.get("state").get("sequence").asLong()).isEqualTo(4);
        assertThat(client.get("/api/v1/sensors/" + id)).hasStatusOk();
        assertThat(client.get("/api/v1/sensors")).hasStatusOk();
        assertThat(client.delete("/api/v1/sensors/" + id)).hasStatus(204);
    }

}
