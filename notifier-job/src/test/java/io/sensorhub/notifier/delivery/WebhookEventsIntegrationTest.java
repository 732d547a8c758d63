package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.delivery.DeliveryPolicy.DeliveryState;
import io.sensorhub.notifier.delivery.DeliveryPolicy.Verdict;
import io.sensorhub.notifier.delivery.DeliveryRecords.Outcome;
import io.sensorhub.notifier.fanout.FanOut;
import io.sensorhub.notifier.fanout.WebhookEventFanOut;
import io.sensorhub.notifier.support.IsolatedSchema;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events about webhooks, driven step by step on a schema of its own: recording attempts
 * queues {@code webhook.failing} at the configured count, {@code webhook.disabled} when a
 * webhook is disabled (410, or {@code disable-after}), in the order they happened; their
 * fan-out sends them to the client's other enabled webhooks that list them, in that
 * order.
 */
class WebhookEventsIntegrationTest {

    private static final Duration LEASE = Duration.ofMinutes(10);

    private static final Duration DISABLE_AFTER = Duration.ofDays(1);

    private static final List<String> OPERATIONAL = List.of("webhook.failing", "webhook.disabled", "webhook.recovered");

    private IsolatedSchema schema;

    private TestData data;

    private DeliveryRecords records;

    @BeforeEach
    void createSchema() {
        this.schema = new IsolatedSchema("webhook_events", 3);
        this.data = this.schema.data();
        this.records = new DeliveryRecords(this.schema.jdbc(), this.schema.transactions());
    }

    @AfterEach
    void dropSchema() throws Exception {
        this.schema.close();
    }

    @Test
    void failingAtTheConfiguredCountThenDisabledReachTheOtherWebhooksThatListThemInOrder() {
        String sensor = this.data.sensor("ops-1");
        UUID failing = this.data.webhookReceiving("http://a.example/failing", TestData.secret(),
                List.of("sensor.status_changed", "webhook.failing", "webhook.disabled", "webhook.recovered"), null);
        UUID ops = this.data.webhookReceiving("http://b.example/ops", TestData.secret(), OPERATIONAL, null);
        UUID plain = this.data.webhook("http://b.example/plain", TestData.secret());
        UUID disabledOps = this.data.webhookReceiving("http://b.example/off", TestData.secret(), OPERATIONAL, null);
        this.schema.jdbc().sql("UPDATE webhooks SET enabled = false WHERE id = ?").param(disabledOps).update();
        this.data.change(sensor, Status.CRITICAL, 99.0);
        new FanOut(this.schema.jdbc(), this.schema.transactions()).fanOut(10);
        assertThat(this.data.deliveries(ops)).as("lists no sensor.status_changed").isEmpty();
        assertThat(this.data.deliveries(plain)).hasSize(1);

        attemptOf(failing, 500, false, 2);
        assertThat(outbox()).isEmpty();
        attemptOf(failing, 502, false, 2);
        attemptOf(failing, 410, true, 2);

        assertThat(outbox()).extracting(e -> e.get("event_type"))
            .containsExactly("webhook.failing", "webhook.disabled");
        JsonNode failingBody = body(outbox().get(0));
        assertThat(failingBody.get("data").get("consecutiveFailures").asInt()).as("failing-after 2").isEqualTo(2);
        assertThat(failingBody.get("data").get("lastError").asString()).isEqualTo("HTTP 502");
        assertThat(failingBody.get("data").get("webhookId").asString()).isEqualTo(failing.toString());
        JsonNode disabledBody = body(outbox().get(1));
        assertThat(disabledBody.get("data").get("disabledReason").asString())
            .isEqualTo("the endpoint answered 410 Gone");
        assertThat(this.data.webhookRow(failing)).containsEntry("enabled", false)
            .containsEntry("consecutive_failures", 3);

        new WebhookEventFanOut(this.schema.jdbc(), this.schema.transactions()).fanOut(10);

        assertThat(outbox()).isEmpty();
        List<Map<String, Object>> sent = this.data.deliveries(ops);
        assertThat(sent).extracting(d -> d.get("event_type")).containsExactly("webhook.failing", "webhook.disabled");
        assertThat(sent).extracting(d -> d.get("sensor_id")).containsOnly("webhook/" + failing);
        assertThat(sent).extracting(d -> d.get("waiting"))
            .as("the second waits for the first")
            .containsExactly(false, true);
        assertThat(this.data.deliveries(failing)).extracting(d -> d.get("event_type"))
            .as("never about itself")
            .containsOnly("sensor.status_changed");
        assertThat(this.data.deliveries(plain)).hasSize(1);
        assertThat(this.data.deliveries(disabledOps)).isEmpty();
    }

    @Test
    void aWebhookDisabledForFailingTooLongIsReported() {
        String sensor = this.data.sensor("ops-2");
        UUID failing = this.data.webhook("http://a.example/failing", TestData.secret());
        this.data.change(sensor, Status.CRITICAL, 99.0);
        new FanOut(this.schema.jdbc(), this.schema.transactions()).fanOut(10);

        ClaimedDelivery delivery = claimOf(failing);
        this.records.record("instance-a",
                List.of(new Outcome(delivery,
                        new AttemptResult(Instant.now().minusSeconds(5), 500, 1, "HTTP 500", null, ""),
                        new Verdict(DeliveryState.PENDING, Instant.now(), false))),
                Duration.ofSeconds(1), 3);

        assertThat(outbox()).extracting(e -> e.get("event_type")).containsExactly("webhook.disabled");
        assertThat(body(outbox().get(0)).get("data").get("disabledReason").asString())
            .startsWith("every delivery attempt failed since ");
    }

    /** Claims the webhook's delivery and records an attempt answered with this status. */
    private void attemptOf(UUID webhook, int status, boolean gone, int failingAfter) {
        ClaimedDelivery delivery = claimOf(webhook);
        AttemptResult result = new AttemptResult(Instant.now(), status, 1, "HTTP " + status, null, "");
        this.records.record("instance-a",
                List.of(new Outcome(delivery, result, new Verdict(DeliveryState.PENDING, Instant.now(), gone))),
                DISABLE_AFTER, failingAfter);
    }

    private ClaimedDelivery claimOf(UUID webhook) {
        List<ClaimedDelivery> claimed = this.records.claim("instance-a", 10, LEASE, Map.of(), 10)
            .stream()
            .filter(d -> d.webhookId().equals(webhook))
            .toList();
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    private List<Map<String, Object>> outbox() {
        return this.schema.jdbc()
            .sql("SELECT event_type, payload::text AS payload FROM webhook_event_outbox ORDER BY id")
            .query()
            .listOfRows();
    }

    private static JsonNode body(Map<String, Object> row) {
        return JsonMapper.shared().readTree((String) row.get("payload"));
    }

}
