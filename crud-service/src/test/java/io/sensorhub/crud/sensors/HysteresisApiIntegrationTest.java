package io.sensorhub.crud.sensors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorState.PendingStatus;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.status.Status;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sensor's {@code hysteresis} and {@code minDurationSeconds} through the API, and the
 * pending status in its state.
 */
class HysteresisApiIntegrationTest extends ApiIntegrationTest {

    private static final Map<String, Object> THRESHOLDS = Map.of("warnLow", 10, "warnHigh", 80, "critLow", 0,
            "critHigh", 90);

    @Autowired
    private SensorStateCache cache;

    @Test
    void createTakesBothAndDefaultsThemToZero() {
        Api client = newClient();
        JsonNode sensor = client.createSensor(sensorId("alerting"),
                Map.of("thresholds", THRESHOLDS, "hysteresis", 2.5, "minDurationSeconds", 60));
        assertThat(sensor.get("hysteresis").asDouble()).isEqualTo(2.5);
        assertThat(sensor.get("minDurationSeconds").asInt()).isEqualTo(60);
        assertThat(sensor.get("state").get("pending").isNull()).isTrue();
        assertThat(this.jdbc.sql("SELECT hysteresis || '/' || min_duration_seconds FROM sensors WHERE id = ?")
            .param(sensor.get("id").asString())
            .query(String.class)
            .single()).isEqualTo("2.5/60");

        JsonNode plain = client.createSensor(sensorId("plain"));
        assertThat(plain.get("hysteresis").asDouble()).isZero();
        assertThat(plain.get("minDurationSeconds").asInt()).isZero();
    }

    @Test
    void invalidValuesAreRefusedNamingTheField() {
        Api client = newClient();
        invalidField(create(client, Map.of("hysteresis", -0.1)), "hysteresis");
        invalidField(create(client, Map.of("hysteresis", "2")), "hysteresis");
        invalidField(client.raw(HttpMethod.POST, "/api/v1/sensors", "application/json",
                ("{\"id\":\"" + sensorId("inf") + "\",\"name\":\"x\",\"hysteresis\":1e400}")
                    .getBytes(StandardCharsets.UTF_8)),
                "hysteresis");
        invalidField(create(client, Map.of("minDurationSeconds", -1)), "minDurationSeconds");
        invalidField(create(client, Map.of("minDurationSeconds", 1.5)), "minDurationSeconds");
        invalidField(create(client, Map.of("minDurationSeconds", 604_801)), "minDurationSeconds");
    }

    /**
     * warnLow 10 and warnHigh 80: with a hysteresis of 35, every value is within 35 of
     * one of them, so a WARNING could never end.
     */
    @Test
    void aHysteresisThatWouldKeepAStatusForeverIsRefused() {
        Api client = newClient();
        JsonNode problem = invalidField(create(client, Map.of("thresholds", THRESHOLDS, "hysteresis", 35)),
                "hysteresis");
        assertThat(problem.toString()).contains("warnLow and warnHigh");
        invalidField(create(client, Map.of("thresholds", Map.of("critLow", 0, "critHigh", 10), "hysteresis", 5)),
                "hysteresis");
        assertThat(client.createSensor(sensorId("fits"), Map.of("thresholds", THRESHOLDS, "hysteresis", 34.9))
            .get("hysteresis")
            .asDouble()).isEqualTo(34.9);
        assertThat(client
            .createSensor(sensorId("one-sided"), Map.of("thresholds", Map.of("warnHigh", 80), "hysteresis", 1000))
            .get("hysteresis")
            .asDouble()).isEqualTo(1000.0);
    }

    @Test
    void patchKeepsThemPutResetsThemAndThresholdsMustStillFit() {
        Api client = newClient();
        String id = sensorId("edit");
        client.createSensor(id, Map.of("thresholds", THRESHOLDS, "hysteresis", 2, "minDurationSeconds", 30));

        JsonNode patched = body(client.patch("/api/v1/sensors/" + id, Map.of("name", "renamed"), null));
        assertThat(patched.get("hysteresis").asDouble()).isEqualTo(2.0);
        assertThat(patched.get("minDurationSeconds").asInt()).isEqualTo(30);
        patched = body(client.patch("/api/v1/sensors/" + id, Map.of("minDurationSeconds", 120), null));
        assertThat(patched.get("minDurationSeconds").asInt()).isEqualTo(120);
        invalidField(client.patch("/api/v1/sensors/" + id, Map.of("thresholds", Map.of("warnLow", 78)), null),
                "hysteresis");
        Map<String, Object> removed = new HashMap<>();
        removed.put("hysteresis", null);
        assertThat(body(client.patch("/api/v1/sensors/" + id, removed, null)).get("hysteresis").asDouble()).isZero();

        JsonNode replaced = body(client.put("/api/v1/sensors/" + id, Map.of("name", "again"), null));
        assertThat(replaced.get("hysteresis").asDouble()).isZero();
        assertThat(replaced.get("minDurationSeconds").asInt()).isZero();
    }

    @Test
    void getShowsThePendingStatusReadThroughFromPostgres() {
        Api client = newClient();
        String id = sensorId("pending-db");
        client.createSensor(id, Map.of("thresholds", THRESHOLDS, "minDurationSeconds", 60));
        this.jdbc.sql("""
                UPDATE sensor_state SET status = 'OK', value = 85, reported_at = '2026-11-29T10:00:20Z', since = now(),
                    sequence = 1, pending_status = 'WARNING', pending_since = '2026-11-29T10:00:00Z'
                WHERE sensor_id = ?""").param(id).update();

        JsonNode pending = body(client.get("/api/v1/sensors/" + id)).get("state").get("pending");
        assertThat(pending.get("status").asString()).isEqualTo("WARNING");
        assertThat(pending.get("since").asString()).isEqualTo("2026-11-29T10:00:00Z");
        JsonNode listed = body(client.get("/api/v1/sensors")).get("items").get(0).get("state").get("pending");
        assertThat(listed.get("status").asString()).isEqualTo("WARNING");
    }

    @Test
    void getShowsThePendingStatusFromTheCache() {
        Api client = newClient();
        String id = sensorId("pending-cache");
        client.createSensor(id);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.cache.replace(List.of(new SensorState(id, Status.WARNING, 70.0, at, at.minusSeconds(60), 4, null,
                new PendingStatus(Status.OK, at.minusSeconds(5)))));

        JsonNode state = body(client.get("/api/v1/sensors/" + id)).get("state");
        assertThat(state.get("status").asString()).isEqualTo("WARNING");
        assertThat(state.get("pending").get("status").asString()).isEqualTo("OK");
        assertThat(Instant.parse(state.get("pending").get("since").asString())).isEqualTo(at.minusSeconds(5));
    }

    @Test
    void theOpenApiDocumentDescribesThem() {
        JsonNode schemas = body(this.mvc.get().uri("/v3/api-docs").exchange()).get("components").get("schemas");
        for (String request : List.of("SensorCreation", "SensorReplacement", "SensorResponse")) {
            assertThat(schemas.get(request).get("properties").propertyNames()).as(request)
                .contains("hysteresis", "minDurationSeconds");
        }
        JsonNode creation = schemas.get("SensorCreation").get("properties");
        assertThat(creation.get("hysteresis").get("minimum").asInt()).isZero();
        assertThat(creation.get("hysteresis").get("description").asString()).contains("back inside");
        assertThat(creation.get("minDurationSeconds").get("minimum").asInt()).isZero();
        assertThat(schemas.get("StateResponse").get("properties").propertyNames()).contains("pending");
        assertThat(schemas.get("PendingResponse").get("properties").propertyNames()).contains("status", "since");
    }

    private static MvcTestResult create(Api client, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("id", sensorId("invalid"));
        body.put("name", "x");
        return client.post("/api/v1/sensors", body);
    }

}
