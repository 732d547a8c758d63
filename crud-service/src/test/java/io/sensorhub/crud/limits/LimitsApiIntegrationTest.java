package io.sensorhub.crud.limits;

import java.util.Map;
import java.util.UUID;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits per client at their defaults: 20 webhooks per client, 10 requests to deliver
 * (test events, redeliveries, recoveries) per webhook in any minute. Over a limit: 429
 * problem+json with {@code Retry-After}.
 */
class LimitsApiIntegrationTest extends ApiIntegrationTest {

    static final String URL = "https://8.8.8.8/hooks/limits";

    @Test
    void aClientHasAtMostTwentyWebhooks() {
        Api client = newClient();
        String first = null;
        for (int i = 0; i < 20; i++) {
            MvcTestResult created = client.post("/api/v1/webhooks", Map.of("url", URL));
            assertThat(created).hasStatus(201);
            first = (first != null) ? first : body(created).get("id").asString();
        }

        MvcTestResult refused = client.post("/api/v1/webhooks", Map.of("url", URL));

        assertTooManyRequests(refused, 60, 60);
        assertThat(body(client.get("/api/v1/webhooks?limit=500")).get("items").size()).isEqualTo(20);
        // another client is not affected; deleting one makes room
        assertThat(newClient().post("/api/v1/webhooks", Map.of("url", URL))).hasStatus(201);
        assertThat(client.delete("/api/v1/webhooks/" + first)).hasStatus(204);
        assertThat(client.post("/api/v1/webhooks", Map.of("url", URL))).hasStatus(201);
        assertTooManyRequests(client.post("/api/v1/webhooks", Map.of("url", URL)), 60, 60);
    }

    @Test
    void aWebhookTakesTenTestEventsInAMinuteAndTheEleventhWaitsForTheFirstToLeave() {
        Api client = newClient();
        String webhook = newWebhook(client);
        String sibling = newWebhook(client);
        for (int i = 0; i < 10; i++) {
            assertThat(client.post("/api/v1/webhooks/" + webhook + "/test", null)).hasStatus(202);
        }

        assertTooManyRequests(client.post("/api/v1/webhooks/" + webhook + "/test", null), 1, 60);
        assertThat(testEvents(webhook)).isEqualTo(10);
        assertThat(client.post("/api/v1/webhooks/" + sibling + "/test", null)).hasStatus(202);

        // a minute later (the times moved back rather than waiting), the window is free
        // again
        this.jdbc.sql("""
                UPDATE webhook_delivery_requests
                SET recent = ARRAY(SELECT t - interval '61 seconds' FROM unnest(recent) t)
                WHERE webhook_id = ?::uuid""").param(webhook).update();
        assertThat(client.post("/api/v1/webhooks/" + webhook + "/test", null)).hasStatus(202);
    }

    @Test
    void redeliveriesAndRecoveriesShareTheLimitAndRefusedRequestsTakeNoPlace() {
        Api client = newClient();
        String webhook = newWebhook(client);
        UUID pending = delivery(webhook, "pending");
        UUID dead = delivery(webhook, "dead");
        delivery(webhook, "dead");
        for (int i = 0; i < 3; i++) {
            problem(client.post("/api/v1/deliveries/" + pending + "/redeliver", null), 409);
        }
        client.patch("/api/v1/webhooks/" + webhook, Map.of("enabled", false), null);
        problem(client.post("/api/v1/webhooks/" + webhook + "/test", null), 409);
        client.patch("/api/v1/webhooks/" + webhook, Map.of("enabled", true), null);
        for (int i = 0; i < 7; i++) {
            assertThat(client.post("/api/v1/webhooks/" + webhook + "/test", null)).hasStatus(202);
        }
        assertThat(client.post("/api/v1/deliveries/" + dead + "/redeliver", null)).hasStatus(202);
        assertThat(client.post("/api/v1/webhooks/" + webhook + "/recover", Map.of("since", "2026-01-01T00:00:00Z")))
            .hasStatus(202);
        assertThat(client.post("/api/v1/deliveries/" + delivery(webhook, "succeeded") + "/redeliver", null))
            .hasStatus(202);

        UUID succeeded = delivery(webhook, "succeeded");
        assertTooManyRequests(client.post("/api/v1/deliveries/" + succeeded + "/redeliver", null), 1, 60);
        assertTooManyRequests(
                client.post("/api/v1/webhooks/" + webhook + "/recover", Map.of("since", "2026-01-01T00:00:00Z")), 1,
                60);
        assertTooManyRequests(client.post("/api/v1/webhooks/" + webhook + "/test", null), 1, 60);
        assertThat(this.jdbc.sql("SELECT state FROM webhook_deliveries WHERE id = ?")
            .param(succeeded)
            .query(String.class)
            .single()).isEqualTo("succeeded");
        // not found is still not found, whatever the limit
        problem(client.post("/api/v1/deliveries/" + UUID.randomUUID() + "/redeliver", null), 404);
    }

    private void assertTooManyRequests(MvcTestResult result, int minSeconds, int maxSeconds) {
        JsonNode problem = problem(result, 429);
        assertThat(problem.get("type").asString()).isEqualTo("https://sensorhub.io/problems/too-many-requests");
        assertThat(Integer.parseInt(result.getResponse().getHeader(HttpHeaders.RETRY_AFTER))).isBetween(minSeconds,
                maxSeconds);
    }

    private String newWebhook(Api client) {
        return body(client.post("/api/v1/webhooks", Map.of("url", URL))).get("id").asString();
    }

    private long testEvents(String webhook) {
        return this.jdbc
            .sql("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?::uuid AND event_type = 'webhook.test'")
            .param(webhook)
            .query(Long.class)
            .single();
    }

    private UUID delivery(String webhook, String state) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload,
                    state, completed_at)
                VALUES (?, ?::uuid, gen_random_uuid(), 'sensor.status_changed', 's', 1, '{}', ?, now())""")
            .params(id, webhook, state)
            .update();
        return id;
    }

}
