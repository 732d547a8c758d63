package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /webhooks/{id}/stats}: a webhook's deliveries and attempts, its own only.
 */
class WebhookStatsApiIntegrationTest extends ApiIntegrationTest {

    @Test
    void statsCountTheWebhooksDeliveriesAndTimeItsAttemptsOfTheLastHour() {
        Api client = newClient();
        String webhook = newWebhook(client);
        String sibling = newWebhook(client);
        UUID pending = delivery(webhook, "pending");
        delivery(webhook, "pending");
        UUID dead = delivery(webhook, "dead");
        delivery(webhook, "dead");
        delivery(webhook, "dead");
        UUID succeeded = delivery(webhook, "succeeded");
        // the last hour: four successes (10-40 ms) and two failures (100 ms, a 10 s
        // timeout)
        attempt(succeeded, webhook, 1, "5 minutes", 200, 10, null);
        attempt(succeeded, webhook, 2, "6 minutes", 204, 20, null);
        attempt(pending, webhook, 1, "7 minutes", 299, 30, null);
        attempt(pending, webhook, 2, "50 minutes", 201, 40, null);
        attempt(dead, webhook, 1, "4 minutes", 500, 100, "HTTP 500");
        attempt(dead, webhook, 2, "8 minutes", null, 10000, "timeout after 10000 ms");
        // earlier: a success and the newest failures are not the last hour's
        attempt(dead, webhook, 3, "2 hours", 200, 5, null);
        attempt(dead, webhook, 4, "3 hours", 302, 7, "HTTP 302 (redirects are not followed)");
        // another webhook's attempts are not counted
        UUID others = delivery(sibling, "dead");
        attempt(others, sibling, 1, "1 minute", 503, 1, "HTTP 503");

        JsonNode stats = body(client.get("/api/v1/webhooks/" + webhook + "/stats"));

        assertThat(stats.get("pending").asLong()).isEqualTo(2);
        assertThat(stats.get("dead").asLong()).isEqualTo(3);
        assertThat(stats.get("succeededLastHour").asLong()).isEqualTo(4);
        assertThat(stats.get("failedLastHour").asLong()).isEqualTo(2);
        assertThat(stats.get("latencyMs").get("p50").asInt()).isEqualTo(30);
        assertThat(stats.get("latencyMs").get("p99").asInt()).isEqualTo(10000);
        assertThat(stats.get("lastError").asString()).isEqualTo("HTTP 500");
        assertThat(Instant.parse(stats.get("lastSuccessAt").asString())).isEqualTo(attemptTime(succeeded, 1));
        assertThat(Instant.parse(stats.get("lastFailureAt").asString())).isEqualTo(attemptTime(dead, 1));
    }

    @Test
    void aWebhookWithoutAttemptsInTheLastHourHasZerosAndNullsButItsLastFailure() {
        Api client = newClient();
        String webhook = newWebhook(client);
        attempt(delivery(webhook, "dead"), webhook, 1, "2 hours", 410, 3, "HTTP 410");

        JsonNode stats = body(client.get("/api/v1/webhooks/" + webhook + "/stats"));

        assertThat(stats.get("pending").asLong()).isZero();
        assertThat(stats.get("dead").asLong()).isEqualTo(1);
        assertThat(stats.get("succeededLastHour").asLong()).isZero();
        assertThat(stats.get("failedLastHour").asLong()).isZero();
        assertThat(stats.get("latencyMs").get("p50").isNull()).isTrue();
        assertThat(stats.get("latencyMs").get("p99").isNull()).isTrue();
        assertThat(stats.get("lastSuccessAt").isNull()).isTrue();
        assertThat(stats.get("lastFailureAt").isNull()).isFalse();
        assertThat(stats.get("lastError").asString()).isEqualTo("HTTP 410");
    }

    @Test
    void anotherClientsWebhookHasNoStats() {
        Api client = newClient();
        String theirs = newWebhook(newClient());
        problem(client.get("/api/v1/webhooks/" + theirs + "/stats"), 404);
        problem(client.get("/api/v1/webhooks/" + UUID.randomUUID() + "/stats"), 404);
        problem(client.get("/api/v1/webhooks/not-a-uuid/stats"), 404);
        problem(this.admin.get("/api/v1/webhooks/" + theirs + "/stats"), 403);
    }

    private String newWebhook(Api client) {
        return body(client.post("/api/v1/webhooks", Map.of("url", WebhooksApiIntegrationTest.PUBLIC_URL))).get("id")
            .asString();
    }

    private UUID delivery(String webhook, String state) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload,
                    state, completed_at)
                VALUES (?, ?::uuid, gen_random_uuid(), 'sensor.status_changed', 's', 1, '{}', ?,
                        CASE WHEN ? <> 'pending' THEN now() END)""").params(id, webhook, state, state).update();
        return id;
    }

    private void attempt(UUID delivery, String webhook, int attempt, String ago, Integer statusCode, int latencyMs,
            String error) {
        this.jdbc.sql("""
                INSERT INTO webhook_delivery_attempts (delivery_id, webhook_id, attempt, at, status_code, latency_ms,
                                                       error)
                VALUES (?, ?::uuid, ?, date_trunc('milliseconds', now()) - CAST(? AS interval), ?, ?, ?)""")
            .params(delivery, webhook, attempt, ago, statusCode, latencyMs, error)
            .update();
    }

    private Instant attemptTime(UUID delivery, int attempt) {
        return this.jdbc.sql("SELECT at FROM webhook_delivery_attempts WHERE delivery_id = ? AND attempt = ?")
            .params(delivery, attempt)
            .query(java.sql.Timestamp.class)
            .single()
            .toInstant();
    }

}
