package io.sensorhub.crud.sensors;

import java.time.Duration;
import java.util.Map;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cached sensor settings never outlive a change: here at once, elsewhere when the NOTIFY
 * arrives.
 */
class SensorSettingsCacheIntegrationTest extends ApiIntegrationTest {

    @Test
    void aWriteIsVisibleAtOnce() {
        Api client = newClient();
        String id = sensorId("cached");
        client.createSensor(id);
        assertThat(body(client.get("/api/v1/sensors/" + id)).get("name").asString()).isEqualTo("Sensor " + id);
        client.patch("/api/v1/sensors/" + id, Map.of("name", "renamed"), null);
        assertThat(body(client.get("/api/v1/sensors/" + id)).get("name").asString()).isEqualTo("renamed");
        assertThat(client.get("/api/v1/sensors/" + id)).hasHeader("ETag", "\"1\"");
        client.delete("/api/v1/sensors/" + id);
        problem(client.get("/api/v1/sensors/" + id), 404);
    }

    @Test
    void aWriteByAnotherInstanceIsVisibleOnceNotified() {
        Api client = newClient();
        String id = sensorId("remote");
        client.createSensor(id);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            this.jdbc.sql("UPDATE sensors SET name = 'original' WHERE id = ?").param(id).update();
            this.jdbc.sql("SELECT pg_notify(?, ?)").params(Channels.CRUD_CACHE, "sensor:" + id).query().listOfRows();
            Thread.sleep(100);
            assertThat(body(client.get("/api/v1/sensors/" + id)).get("name").asString()).isEqualTo("original");
            this.jdbc.sql("UPDATE sensors SET name = 'changed elsewhere' WHERE id = ?").param(id).update();
            assertThat(body(client.get("/api/v1/sensors/" + id)).get("name").asString())
                .as("cached: a change without notification is not seen yet")
                .isEqualTo("original");
        });
        this.jdbc.sql("SELECT pg_notify(?, ?)").params(Channels.CRUD_CACHE, "sensor:" + id).query().listOfRows();
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(body(client.get("/api/v1/sensors/" + id)).get("name").asString())
                .isEqualTo("changed elsewhere"));
    }

    @Test
    void anotherClientNeverGetsACachedSensor() {
        Api owner = newClient();
        String id = sensorId("owned");
        owner.createSensor(id);
        assertThat(owner.get("/api/v1/sensors/" + id)).hasStatusOk();
        problem(newClient().get("/api/v1/sensors/" + id), 404);
    }

}
