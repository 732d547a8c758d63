package io.sensorhub.crud.web;

import java.util.Map;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input PostgreSQL cannot store or compare (a NUL character, bytes that are not UTF-8) is
 * refused as a 400 on the field that holds it, before it reaches the database; it never
 * surfaces as a 409 from a data exception.
 */
class ApiHostileInputIntegrationTest extends ApiIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = { "AA", "AGE", "_w", "YQE", "YQk" })
    void aCursorThatDecodesToControlCharactersOrBrokenUtf8IsABadCursor(String cursor) {
        // AA = NUL, AGE = NUL a, _w = 0xFF (not UTF-8), YQE = "a" U+0001, YQk = "a" TAB
        Api client = newClient();
        invalidField(client.get("/api/v1/sensors?cursor=" + cursor), "cursor");
        invalidField(client.get("/api/v1/webhooks?cursor=" + cursor), "cursor");
        invalidField(this.admin.get("/api/v1/clients?cursor=" + cursor), "cursor");
    }

    @Test
    void aTypeFilterWithANulIsInvalid() {
        Api client = newClient();
        invalidField(client.get("/api/v1/sensors?type=%00"), "type");
        invalidField(client.get("/api/v1/sensors?type=a%1Fb"), "type");
    }

    @Test
    void aClientNameWithANulIsInvalid() {
        invalidField(this.admin.post("/api/v1/clients", Map.of("name", "a\u0000b")), "name");
        invalidField(this.admin.post("/api/v1/clients", Map.of("name", "a\u009Bb")), "name");
        Api client = newClient();
        invalidField(this.admin.patch("/api/v1/clients/" + client.clientId, Map.of("name", "a\u0000b"), null), "name");
    }

    @Test
    void aSensorNameWithANulIsInvalidOnPatchPutAndCreate() {
        Api client = newClient();
        String id = sensorId("nul");
        client.createSensor(id);
        invalidField(client.patch("/api/v1/sensors/" + id, Map.of("name", "a\u0000b"), null), "name");
        invalidField(client.patch("/api/v1/sensors/" + id, Map.of("unit", "\u0000"), null), "unit");
        invalidField(client.put("/api/v1/sensors/" + id, Map.of("name", "x", "type", "a\u0000"), null), "type");
        invalidField(client.post("/api/v1/sensors", Map.of("id", sensorId("nul"), "name", "a\nb")), "name");
        assertThat(body(client.get("/api/v1/sensors/" + id)).get("name").asString()).isEqualTo("Sensor " + id);
    }

    @Test
    void aWebhookDescriptionMayHaveLinesButNoNul() {
        Api client = newClient();
        assertThat(client.post("/api/v1/webhooks", Map.of("url", "https://8.8.8.8/", "description", "a\nb\tc")))
            .hasStatus(201);
        invalidField(client.post("/api/v1/webhooks", Map.of("url", "https://8.8.8.8/", "description", "a\u0000b")),
                "description");
    }

    @Test
    void aSensorIdWithANulInThePathIsUnknown() {
        Api client = newClient();
        problem(client.get("/api/v1/sensors/a%00b"), 404);
        problem(client.delete("/api/v1/sensors/a%00b"), 404);
        problem(client.patch("/api/v1/sensors/a%00b", Map.of("name", "x"), null), 404);
        problem(client.get("/api/v1/sensors/a%00b/readings"), 404);
    }

}
