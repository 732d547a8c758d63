package io.sensorhub.crud.sensors;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.status.Status;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /sensors/{id}/acknowledge}: a client command of its own, shown in the state
 * until the next status change; crud-service never writes {@code sensor_state} for it.
 */
class AcknowledgeApiIntegrationTest extends ApiIntegrationTest {

    @Autowired
    private SensorStateCache cache;

    @Test
    void anAcknowledgementShowsInTheStateUntilTheNextStatusChange() {
        Api client = newClient();
        String id = sensorId("ack");
        client.createSensor(id);
        setState(id, Status.CRITICAL, 1);
        assertThat(state(client, id).get("acknowledged").isNull()).isTrue();
        String stateRow = stateRow(id);

        MvcTestResult result = client.post("/api/v1/sensors/" + id + "/acknowledge", Map.of("comment", "on it"));
        assertThat(result).hasStatusOk().hasHeader("ETag", "\"0\"");
        JsonNode acknowledged = body(result).get("state").get("acknowledged");
        assertThat(acknowledged.get("comment").asString()).isEqualTo("on it");
        Instant at = Instant.parse(acknowledged.get("at").asString());
        assertThat(stateRow(id)).as("sensor_state untouched").isEqualTo(stateRow);

        JsonNode read = state(client, id);
        assertThat(read.get("status").asString()).isEqualTo("CRITICAL");
        assertThat(read.get("acknowledged").get("comment").asString()).isEqualTo("on it");
        assertThat(Instant.parse(read.get("acknowledged").get("at").asString())).isEqualTo(at);
        assertThat(body(client.get("/api/v1/sensors")).get("items")
            .get(0)
            .get("state")
            .get("acknowledged")
            .get("comment")
            .asString()).isEqualTo("on it");

        // the next change, as sensor-consumer records it: the database, then the cache
        setState(id, Status.OK, 2);
        this.cache.put(List.of(new SensorState(id, Status.OK, 20.0, Instant.now(), Instant.now(), 2, Instant.now())));
        await().untilAsserted(() -> assertThat(state(client, id).get("sequence").asLong()).isEqualTo(2));
        assertThat(state(client, id).get("acknowledged").isNull()).isTrue();
        assertThat(body(client.get("/api/v1/sensors")).get("items").get(0).get("state").get("acknowledged").isNull())
            .isTrue();
    }

    @Test
    void theCommentIsOptionalAndABodyNeedNotBeSent() {
        Api client = newClient();
        String id = sensorId("ack-bare");
        client.createSensor(id);
        setState(id, Status.OFFLINE, 4);
        JsonNode withoutBody = body(client.post("/api/v1/sensors/" + id + "/acknowledge", null));
        assertThat(withoutBody.get("state").get("acknowledged").get("comment").isNull()).isTrue();
        JsonNode empty = body(client.post("/api/v1/sensors/" + id + "/acknowledge", Map.of()));
        assertThat(empty.get("state").get("acknowledged").get("at").asString()).endsWith("Z");
        assertThat(this.jdbc.sql("SELECT sequence FROM sensor_acknowledgements WHERE sensor_id = ?")
            .param(id)
            .query(Long.class)
            .single()).isEqualTo(4);
    }

    @Test
    void anotherClientsSensorIsNotFoundAndABadCommentIsRefused() {
        Api owner = newClient();
        String id = sensorId("ack-theirs");
        owner.createSensor(id);
        problem(newClient().post("/api/v1/sensors/" + id + "/acknowledge", Map.of()), 404);
        problem(owner.post("/api/v1/sensors/" + sensorId("none") + "/acknowledge", Map.of()), 404);
        invalidField(owner.post("/api/v1/sensors/" + id + "/acknowledge", Map.of("comment", "x".repeat(1001))),
                "comment");
        invalidField(owner.post("/api/v1/sensors/" + id + "/acknowledge", Map.of("comment", "bad\u0000")), "comment");
        problem(owner.post("/api/v1/sensors/" + id + "/acknowledge", Map.of("comment", "ok", "sequence", 3)), 400);
        problem(owner.raw(HttpMethod.POST, "/api/v1/sensors/" + id + "/acknowledge", "text/plain", "hello".getBytes()),
                415);
    }

    private JsonNode state(Api client, String id) {
        return body(client.get("/api/v1/sensors/" + id)).get("state");
    }

    private void setState(String id, Status status, long sequence) {
        this.jdbc.sql("""
                UPDATE sensor_state SET status = ?, value = 1, reported_at = now(), since = now(), sequence = ?
                WHERE sensor_id = ?""").params(status.name(), sequence, id).update();
    }

    private String stateRow(String id) {
        return this.jdbc.sql("SELECT row_to_json(s)::text FROM sensor_state s WHERE sensor_id = ?")
            .param(id)
            .query(String.class)
            .single();
    }

}
