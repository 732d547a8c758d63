package io.sensorhub.crud.sensors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class SensorsApiIntegrationTest extends ApiIntegrationTest {

    @Test
    void createAnswersTheSensorWithLocationETagAndUnknownState() {
        Api client = newClient();
        String id = sensorId("boiler");
        MvcTestResult result = client.post("/api/v1/sensors", Map.of("id", id, "name", "Boiler", "type", "temperature",
                "unit", "°C", "thresholds", Map.of("warnHigh", 80, "critHigh", 95), "heartbeatSeconds", 60));
        assertThat(result).hasStatus(201).hasHeader("Location", "/api/v1/sensors/" + id).hasHeader("ETag", "\"0\"");
        JsonNode sensor = body(result);
        assertThat(sensor.get("thresholds").get("critHigh").asDouble()).isEqualTo(95.0);
        assertThat(sensor.get("thresholds").get("warnLow").isNull()).isTrue();
        assertThat(sensor.get("heartbeatSeconds").asInt()).isEqualTo(60);
        assertThat(sensor.get("state").get("status").asString()).isEqualTo("UNKNOWN");
        assertThat(sensor.get("state").get("sequence").asLong()).isZero();
        assertThat(this.jdbc.sql("SELECT status || ':' || sequence FROM sensor_state WHERE sensor_id = ?")
            .param(id)
            .query(String.class)
            .single()).isEqualTo("UNKNOWN:0");
    }

    @Test
    void idsWithDotsColonsAndDashesAreWholePathSegments() {
        Api client = newClient();
        String id = "site:" + sensorId("hall.b") + ".temp_1";
        client.createSensor(id);
        assertThat(body(client.get("/api/v1/sensors/" + id)).get("id").asString()).isEqualTo(id);
        assertThat(client.get("/api/v1/sensors/" + id + "/readings")).hasStatusOk();
        assertThat(client.delete("/api/v1/sensors/" + id)).hasStatus(204);
    }

    @Test
    void createDefaultsTheHeartbeat() {
        JsonNode sensor = newClient().createSensor(sensorId("plain"));
        assertThat(sensor.get("heartbeatSeconds").asInt()).isEqualTo(300);
    }

    @Test
    void anIdIsUniqueAcrossClients() {
        String id = sensorId("taken");
        newClient().createSensor(id);
        JsonNode problem = problem(newClient().post("/api/v1/sensors", Map.of("id", id, "name", "again")), 409);
        assertThat(problem.get("detail").asString()).contains(id);
    }

    @Test
    void createRefusesInvalidFieldsListingEach() {
        Api client = newClient();
        invalidField(client.post("/api/v1/sensors", Map.of("id", "has space", "name", "x")), "id");
        invalidField(client.post("/api/v1/sensors", Map.of("id", "x".repeat(65), "name", "x")), "id");
        invalidField(client.post("/api/v1/sensors", Map.of("name", "x")), "id");
        invalidField(client.post("/api/v1/sensors", Map.of("id", sensorId("n"), "name", " ")), "name");
        invalidField(client.post("/api/v1/sensors", Map.of("id", sensorId("h"), "name", "x", "heartbeatSeconds", 4)),
                "heartbeatSeconds");
        invalidField(client.post("/api/v1/sensors", Map.of("id", sensorId("u"), "name", "x", "colour", "red")),
                "colour");
    }

    @Test
    void thresholdsMustBeOrdered() {
        Api client = newClient();
        invalidField(
                client.post("/api/v1/sensors",
                        Map.of("id", sensorId("t"), "name", "x", "thresholds", Map.of("warnLow", 10, "warnHigh", 10))),
                "thresholds.warnHigh");
        invalidField(
                client.post("/api/v1/sensors",
                        Map.of("id", sensorId("t"), "name", "x", "thresholds", Map.of("critLow", 5, "warnLow", 4))),
                "thresholds.warnLow");
        invalidField(
                client.post("/api/v1/sensors",
                        Map.of("id", sensorId("t"), "name", "x", "thresholds", Map.of("critLow", 50, "critHigh", 10))),
                "thresholds.critHigh");
        invalidField(
                client.post("/api/v1/sensors",
                        Map.of("id", sensorId("t"), "name", "x", "thresholds", Map.of("warnLow", "NaN"))),
                "thresholds.warnLow");
        JsonNode equalBounds = client.createSensor(sensorId("t"),
                Map.of("thresholds", Map.of("critLow", 0, "warnLow", 0, "warnHigh", 10, "critHigh", 10)));
        assertThat(equalBounds.get("thresholds").get("critLow").asDouble()).isZero();
    }

    @Test
    void getAnswersTheSensorWithItsStateFromPostgres() {
        Api client = newClient();
        String id = sensorId("state");
        client.createSensor(id);
        this.jdbc.sql("""
                UPDATE sensor_state SET status = 'WARNING', value = 81.5, reported_at = now(), since = now(),
                sequence = 3 WHERE sensor_id = ?""").param(id).update();
        MvcTestResult result = client.get("/api/v1/sensors/" + id);
        assertThat(result).hasStatusOk().hasHeader("ETag", "\"0\"");
        JsonNode state = body(result).get("state");
        assertThat(state.get("status").asString()).isEqualTo("WARNING");
        assertThat(state.get("value").asDouble()).isEqualTo(81.5);
        assertThat(state.get("sequence").asLong()).isEqualTo(3);
        assertThat(state.get("reportedAt").asString()).endsWith("Z");
        problem(client.get("/api/v1/sensors/" + sensorId("missing")), 404);
    }

    @Test
    void listPagesWithACursorAndFilters() {
        Api client = newClient();
        String prefix = sensorId("list");
        for (String suffix : List.of("a", "b", "c")) {
            client.createSensor(prefix + suffix, Map.of("type", suffix.equals("b") ? "humidity" : "temperature"));
        }
        this.jdbc.sql("UPDATE sensor_state SET status = 'CRITICAL' WHERE sensor_id = ?").param(prefix + "c").update();

        JsonNode first = body(client.get("/api/v1/sensors?limit=2"));
        assertThat(ids(first)).containsExactly(prefix + "a", prefix + "b");
        JsonNode second = body(client.get("/api/v1/sensors?limit=2&cursor=" + first.get("nextCursor").asString()));
        assertThat(ids(second)).containsExactly(prefix + "c");
        assertThat(second.get("nextCursor").isNull()).isTrue();

        assertThat(ids(body(client.get("/api/v1/sensors?type=temperature")))).containsExactly(prefix + "a",
                prefix + "c");
        assertThat(ids(body(client.get("/api/v1/sensors?status=CRITICAL")))).containsExactly(prefix + "c");
        assertThat(ids(body(client.get("/api/v1/sensors?status=UNKNOWN&type=temperature"))))
            .containsExactly(prefix + "a");
    }

    @Test
    void listRefusesInvalidParameters() {
        Api client = newClient();
        invalidField(client.get("/api/v1/sensors?status=HOT"), "status");
        invalidField(client.get("/api/v1/sensors?limit=0"), "limit");
        invalidField(client.get("/api/v1/sensors?limit=501"), "limit");
        invalidField(client.get("/api/v1/sensors?limit=many"), "limit");
        invalidField(client.get("/api/v1/sensors?cursor=%25%25%25"), "cursor");
    }

    @Test
    void putReplacesTheSettingsAndChecksIfMatch() {
        Api client = newClient();
        String id = sensorId("put");
        client.createSensor(id, Map.of("type", "t", "thresholds", Map.of("warnHigh", 5)));
        MvcTestResult replaced = client.put("/api/v1/sensors/" + id, Map.of("name", "Renamed", "unit", "bar"), "\"0\"");
        assertThat(replaced).hasStatusOk().hasHeader("ETag", "\"1\"");
        JsonNode sensor = body(replaced);
        assertThat(sensor.get("name").asString()).isEqualTo("Renamed");
        assertThat(sensor.get("type").isNull()).isTrue();
        assertThat(sensor.get("thresholds").get("warnHigh").isNull()).isTrue();

        JsonNode stale = problem(client.put("/api/v1/sensors/" + id, Map.of("name", "Again"), "\"0\""), 412);
        assertThat(stale.get("detail").asString()).contains("\"1\"");
        invalidField(client.put("/api/v1/sensors/" + id, Map.of("id", "other", "name", "x"), null), "id");
        problem(client.put("/api/v1/sensors/" + sensorId("nope"), Map.of("name", "x"), null), 404);
        assertThat(client.put("/api/v1/sensors/" + id, Map.of("name", "Any"), "*")).hasStatusOk();
    }

    @Test
    void patchChangesOnlyTheGivenFields() {
        Api client = newClient();
        String id = sensorId("patch");
        client.createSensor(id, Map.of("type", "t", "unit", "u", "heartbeatSeconds", 30));
        Map<String, Object> patch = new HashMap<>();
        patch.put("unit", null);
        patch.put("thresholds", Map.of("critLow", -5));
        MvcTestResult patched = client.patch("/api/v1/sensors/" + id, patch, "W/\"0\"");
        assertThat(patched).hasStatusOk().hasHeader("ETag", "\"1\"");
        JsonNode sensor = body(patched);
        assertThat(sensor.get("type").asString()).isEqualTo("t");
        assertThat(sensor.get("unit").isNull()).isTrue();
        assertThat(sensor.get("heartbeatSeconds").asInt()).isEqualTo(30);
        assertThat(sensor.get("thresholds").get("critLow").asDouble()).isEqualTo(-5.0);

        problem(client.patch("/api/v1/sensors/" + id, Map.of("name", "x"), "\"0\""), 412);
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        invalidField(client.patch("/api/v1/sensors/" + id, nullName, null), "name");
        invalidField(
                client.patch("/api/v1/sensors/" + id, Map.of("thresholds", Map.of("warnLow", 9, "warnHigh", 1)), null),
                "thresholds.warnHigh");
        invalidField(client.patch("/api/v1/sensors/" + id, Map.of("heartbeatSeconds", 1), null), "heartbeatSeconds");
    }

    @Test
    void deleteRemovesTheSensorItsStateAndHistory() {
        Api client = newClient();
        String id = sensorId("gone");
        client.createSensor(id);
        this.jdbc
            .sql("INSERT INTO readings (sensor_id, ts, value, status, received_at) VALUES (?, now(), 1, 'OK', now())")
            .param(id)
            .update();
        this.jdbc.sql("""
                INSERT INTO status_changes (sensor_id, sequence, previous_status, status, changed_at, event_id)
                VALUES (?, 1, 'UNKNOWN', 'OK', now(), gen_random_uuid())""").param(id).update();

        problem(client.delete("/api/v1/sensors/" + sensorId("nope")), 404);
        assertThat(client.delete("/api/v1/sensors/" + id)).hasStatus(204);
        problem(client.get("/api/v1/sensors/" + id), 404);
        assertThat(count("readings", id) + count("status_changes", id) + count("sensor_state", id)).isZero();

        Api other = newClient();
        other.createSensor(id);
        assertThat(body(other.get("/api/v1/sensors/" + id + "/readings")).get("items")).isEmpty();
    }

    @Test
    void deleteChecksIfMatch() {
        Api client = newClient();
        String id = sensorId("del");
        client.createSensor(id);
        problem(client.delete("/api/v1/sensors/" + id, "\"7\""), 412);
        assertThat(client.delete("/api/v1/sensors/" + id, "\"0\"")).hasStatus(204);
    }

    private long count(String table, String id) {
        return this.jdbc.sql("SELECT count(*) FROM " + table + " WHERE sensor_id = ?")
            .param(id)
            .query(Long.class)
            .single();
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("id").asString()).toList();
    }

}
