package io.sensorhub.crud.auth;

import java.util.Map;
import java.util.UUID;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client never sees, changes or learns of another client's resources: every attempt is
 * a 404, both ways.
 */
class TenantIsolationIntegrationTest extends ApiIntegrationTest {

    @Test
    void sensorsAndTheirHistoryAreInvisibleToOtherClients() {
        Api alice = newClient();
        Api bob = newClient();
        String alicesSensor = sensorId("alice");
        String bobsSensor = sensorId("bob");
        alice.createSensor(alicesSensor);
        bob.createSensor(bobsSensor);
        assertSensorHidden(bob, alicesSensor);
        assertSensorHidden(alice, bobsSensor);
        assertThat(listedIds(alice.get("/api/v1/sensors"))).contains(alicesSensor).doesNotContain(bobsSensor);
        assertThat(listedIds(bob.get("/api/v1/sensors"))).contains(bobsSensor).doesNotContain(alicesSensor);
        assertThat(alice.get("/api/v1/sensors/" + alicesSensor)).hasStatusOk();
    }

    @Test
    void webhooksAndDeliveriesAreInvisibleToOtherClients() {
        Api alice = newClient();
        Api bob = newClient();
        String alicesHook = webhook(alice);
        String bobsHook = webhook(bob);
        assertWebhookHidden(bob, alicesHook);
        assertWebhookHidden(alice, bobsHook);
        assertThat(listedIds(alice.get("/api/v1/webhooks"))).containsExactly(alicesHook);
        assertThat(listedIds(bob.get("/api/v1/webhooks"))).containsExactly(bobsHook);

        String alicesDelivery = body(alice.post("/api/v1/webhooks/" + alicesHook + "/test", null)).get("deliveryId")
            .asString();
        String bobsDelivery = body(bob.post("/api/v1/webhooks/" + bobsHook + "/test", null)).get("deliveryId")
            .asString();
        this.jdbc.sql("UPDATE webhook_deliveries SET state = 'dead' WHERE id IN (?::uuid, ?::uuid)")
            .params(alicesDelivery, bobsDelivery)
            .update();
        problem(bob.post("/api/v1/deliveries/" + alicesDelivery + "/redeliver", null), 404);
        problem(alice.post("/api/v1/deliveries/" + bobsDelivery + "/redeliver", null), 404);
        assertThat(alice.post("/api/v1/deliveries/" + alicesDelivery + "/redeliver", null)).hasStatus(202);
    }

    @Test
    void aWebhookCannotFilterOnAnotherClientsSensor() {
        Api alice = newClient();
        Api bob = newClient();
        String alicesSensor = sensorId("alice");
        alice.createSensor(alicesSensor);
        invalidField(
                bob.post("/api/v1/webhooks",
                        Map.of("url", "https://8.8.8.8/", "sensorIds", java.util.List.of(alicesSensor))),
                "sensorIds[0]");
        String bobsHook = webhook(bob);
        invalidField(
                bob.patch("/api/v1/webhooks/" + bobsHook, Map.of("sensorIds", java.util.List.of(alicesSensor)), null),
                "sensorIds[0]");
    }

    private void assertSensorHidden(Api intruder, String id) {
        String path = "/api/v1/sensors/" + id;
        problem(intruder.get(path), 404);
        problem(intruder.put(path, Map.of("name", "mine now"), null), 404);
        problem(intruder.patch(path, Map.of("name", "mine now"), null), 404);
        problem(intruder.get(path + "/readings"), 404);
        problem(intruder.get(path + "/status-changes"), 404);
        problem(intruder.delete(path), 404);
        assertThat(this.jdbc.sql("SELECT name FROM sensors WHERE id = ?").param(id).query(String.class).single())
            .isNotEqualTo("mine now");
    }

    private void assertWebhookHidden(Api intruder, String id) {
        String path = "/api/v1/webhooks/" + id;
        problem(intruder.get(path), 404);
        problem(intruder.patch(path, Map.of("enabled", false), null), 404);
        problem(intruder.post(path + "/secret", null), 404);
        problem(intruder.post(path + "/test", null), 404);
        problem(intruder.get(path + "/deliveries"), 404);
        problem(intruder.post(path + "/recover", Map.of("since", "2026-01-01T00:00:00Z")), 404);
        problem(intruder.delete(path), 404);
        assertThat(this.jdbc.sql("SELECT enabled FROM webhooks WHERE id = ?")
            .param(UUID.fromString(id))
            .query(Boolean.class)
            .single()).isTrue();
    }

    private String webhook(Api client) {
        return body(client.post("/api/v1/webhooks", Map.of("url", "https://8.8.8.8/"))).get("id").asString();
    }

    private java.util.List<String> listedIds(org.springframework.test.web.servlet.assertj.MvcTestResult result) {
        JsonNode page = body(result);
        return page.get("items").valueStream().map(item -> item.get("id").asString()).toList();
    }

}
