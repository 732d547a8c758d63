package io.sensorhub.crud.webhooks;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.common.test.WebhookBodyFormat;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveriesApiIntegrationTest extends ApiIntegrationTest {

    @Test
    void testRecordsAWebhookTestDeliveryAndNotifies() throws Exception {
        Api client = newClient();
        String webhook = newWebhook(client);
        try (Connection listener = TestServices.get().openConnection();
                Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + Channels.DELIVERIES);
            MvcTestResult result = client.post("/api/v1/webhooks/" + webhook + "/test", null);
            assertThat(result).hasStatus(202);
            String deliveryId = body(result).get("deliveryId").asString();
            Map<String, Object> row = this.jdbc
                .sql("""
                        SELECT event_type, state, sensor_id, payload->>'type' AS type, payload->'data'->>'webhookId' AS hook,
                               payload->>'timestamp' AS timestamp, sensorhub_json_time(created_at) AS queued
                        FROM webhook_deliveries WHERE id = ?::uuid""")
                .param(deliveryId)
                .query()
                .singleRow();
            assertThat(row).containsEntry("event_type", "webhook.test")
                .containsEntry("state", "pending")
                .containsEntry("type", "webhook.test")
                .containsEntry("hook", webhook);
            // the one time format of every webhook body, status changes' included
            assertThat((String) row.get("timestamp")).matches(WebhookBodyFormat.TIME).isEqualTo(row.get("queued"));
            assertThat(row.get("sensor_id")).isNull();
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertThat(notifications).isNotNull().extracting(PGNotification::getName).contains(Channels.DELIVERIES);
        }
    }

    @Test
    void aDisabledWebhookCannotBeTested() {
        Api client = newClient();
        String webhook = newWebhook(client);
        client.patch("/api/v1/webhooks/" + webhook, Map.of("enabled", false), null);
        problem(client.post("/api/v1/webhooks/" + webhook + "/test", null), 409);
        problem(client.post("/api/v1/webhooks/" + UUID.randomUUID() + "/test", null), 404);
    }

    @Test
    void deliveriesAreListedWithTheirEventAndAttempts() {
        Api client = newClient();
        String webhook = newWebhook(client);
        UUID dead = insertDelivery(webhook, "dead", "now() - interval '1 hour'");
        insertDelivery(webhook, "succeeded", "now()");
        this.jdbc
            .sql("""
                                    INSERT INTO webhook_delivery_attempts (delivery_id, webhook_id, attempt, at, status_code, latency_ms,
                                                                           error, response_body)
                                    VALUES (?, ?::uuid, 1, now(), 500, 12, 'HTTP 500', '{"error": "database down"}
                    '),
                                           (?, ?::uuid, 2, now(), NULL, 10000, 'timeout', NULL)""")
            .params(dead, webhook, dead, webhook)
            .update();

        JsonNode all = body(client.get("/api/v1/webhooks/" + webhook + "/deliveries"));
        assertThat(all.get("items").size()).isEqualTo(2);
        JsonNode deadOnly = body(client.get("/api/v1/webhooks/" + webhook + "/deliveries?state=dead"));
        assertThat(deadOnly.get("items").size()).isEqualTo(1);
        JsonNode delivery = deadOnly.get("items").get(0);
        assertThat(delivery.get("event").get("type").asString()).isEqualTo("sensor.status_changed");
        assertThat(delivery.get("attempts").size()).isEqualTo(2);
        assertThat(delivery.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(500);
        assertThat(delivery.get("attempts").get(1).get("statusCode").isNull()).isTrue();
        assertThat(delivery.get("attempts").get(1).get("error").asString()).isEqualTo("timeout");
        assertThat(delivery.get("attempts").get(1).get("latencyMs").asInt()).isEqualTo(10000);
        assertThat(delivery.get("attempts").get(0).get("responseBody").asString())
            .isEqualTo("{\"error\": \"database down\"}\n");
        assertThat(delivery.get("attempts").get(1).get("responseBody").isNull()).isTrue();

        JsonNode page = body(client.get("/api/v1/webhooks/" + webhook + "/deliveries?limit=1"));
        assertThat(page.get("items").size()).isEqualTo(1);
        JsonNode rest = body(client
            .get("/api/v1/webhooks/" + webhook + "/deliveries?limit=1&cursor=" + page.get("nextCursor").asString()));
        assertThat(rest.get("items").get(0).get("id").asString())
            .isNotEqualTo(page.get("items").get(0).get("id").asString());
        invalidField(client.get("/api/v1/webhooks/" + webhook + "/deliveries?state=lost"), "state");
        problem(client.get("/api/v1/webhooks/" + UUID.randomUUID() + "/deliveries"), 404);
    }

    @Test
    void redeliverMakesAFinishedDeliveryPendingAgain() {
        Api client = newClient();
        String webhook = newWebhook(client);
        UUID dead = insertDelivery(webhook, "dead", "now()");
        this.jdbc.sql("""
                UPDATE webhook_deliveries SET locked_by = 'gone-instance', locked_until = now() + interval '1 hour',
                    waiting = true, host = 'old.example', next_attempt_at = now() + interval '1 day'
                WHERE id = ?""").param(dead).update();
        MvcTestResult result = client.post("/api/v1/deliveries/" + dead + "/redeliver", null);
        assertThat(result).hasStatus(202);
        assertThat(body(result).get("state").asString()).isEqualTo("pending");
        assertThat(stateOf(dead)).isEqualTo("pending");
        // crud-service writes only the request; the revival trigger does the rest: the
        // retry schedule afresh, no completion, no lease, not waiting, its webhook's host
        assertThat(this.jdbc.sql("""
                SELECT next_attempt_at <= now() AS due, retry_base, completed_at, locked_by, locked_until, waiting, host
                FROM webhook_deliveries WHERE id = ?""").param(dead).query().singleRow()).containsEntry("due", true)
            .containsEntry("retry_base", 2)
            .containsEntry("completed_at", null)
            .containsEntry("locked_by", null)
            .containsEntry("locked_until", null)
            .containsEntry("waiting", false)
            .containsEntry("host", "8.8.8.8");
        problem(client.post("/api/v1/deliveries/" + dead + "/redeliver", null), 409);
        UUID succeeded = insertDelivery(webhook, "succeeded", "now()");
        assertThat(client.post("/api/v1/deliveries/" + succeeded + "/redeliver", null)).hasStatus(202);
        problem(client.post("/api/v1/deliveries/" + UUID.randomUUID() + "/redeliver", null), 404);
    }

    @Test
    void recoverMakesDeliveriesThatDiedSinceThenPending() {
        Api client = newClient();
        String webhook = newWebhook(client);
        UUID old = insertDelivery(webhook, "dead", "now() - interval '2 days'");
        UUID recent = insertDelivery(webhook, "dead", "now() - interval '1 hour'");
        UUID done = insertDelivery(webhook, "succeeded", "now() - interval '1 hour'");
        String since = java.time.Instant.now().minus(java.time.Duration.ofDays(1)).toString();
        MvcTestResult result = client.post("/api/v1/webhooks/" + webhook + "/recover", Map.of("since", since));
        assertThat(result).hasStatus(202);
        assertThat(body(result).get("recovered").asInt()).isEqualTo(1);
        assertThat(stateOf(recent)).isEqualTo("pending");
        assertThat(stateOf(old)).isEqualTo("dead");
        assertThat(stateOf(done)).isEqualTo("succeeded");

        invalidField(client.post("/api/v1/webhooks/" + webhook + "/recover", Map.of("since", "yesterday")), "since");
        invalidField(client.post("/api/v1/webhooks/" + webhook + "/recover", Map.of()), "since");
        problem(client.post("/api/v1/webhooks/" + UUID.randomUUID() + "/recover", Map.of("since", since)), 404);
    }

    private String newWebhook(Api client) {
        return body(client.post("/api/v1/webhooks", Map.of("url", WebhooksApiIntegrationTest.PUBLIC_URL))).get("id")
            .asString();
    }

    private UUID insertDelivery(String webhook, String state, String completedAt) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload,
                    state, attempt_count, completed_at)
                VALUES (?, ?::uuid, gen_random_uuid(), 'sensor.status_changed', 's', 1,
                    '{"type":"sensor.status_changed","data":{"sensorId":"s"}}', ?, 2, """ + completedAt + ")")
            .params(id, webhook, state)
            .update();
        return id;
    }

    private String stateOf(UUID delivery) {
        return this.jdbc.sql("SELECT state FROM webhook_deliveries WHERE id = ?")
            .param(delivery)
            .query(String.class)
            .single();
    }

}
