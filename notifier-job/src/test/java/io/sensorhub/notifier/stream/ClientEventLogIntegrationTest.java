package io.sensorhub.notifier.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What notifier-job appends to the live stream's log ({@code client_events}): every
 * status change fanned out, silenced ones marked, with the body a webhook receives;
 * reminders once per change and number however many webhooks send them; events about
 * webhooks; and what retention deletes.
 */
@NotifierIntegrationTest
class ClientEventLogIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private ClientEventRetention retention;

    @Test
    void everyStatusChangeIsLoggedWithItsWebhookBodyAndSilencedOnesAreMarked() {
        String loud = this.data.sensor("stream-loud-" + UUID.randomUUID().toString().substring(0, 8));
        String quiet = this.data.sensor("stream-quiet-" + UUID.randomUUID().toString().substring(0, 8));
        this.data.webhook(this.receiver.url(), this.secret);
        silence(quiet);

        StatusChange sent = this.data.change(loud, Status.CRITICAL, 99.0);
        StatusChange silenced = this.data.change(quiet, Status.CRITICAL, 98.0);
        await().atMost(WAIT).until(() -> events().size() == 2 && this.receiver.requests().size() == 1);

        Map<UUID, Map<String, Object>> byEvent = new java.util.HashMap<>();
        events().forEach(row -> byEvent.put((UUID) row.get("event_id"), row));
        Map<String, Object> loudRow = byEvent.get(sent.eventId());
        assertThat(loudRow).containsEntry("event_type", "sensor.status_changed");
        assertThat(json(loudRow.get("body"))).as("what the webhook received")
            .isEqualTo(json(this.receiver.requests().get(0).body()));
        JsonNode quietBody = json(byEvent.get(silenced.eventId()).get("body"));
        assertThat(quietBody.get("silenced").asBoolean()).isTrue();
        assertThat(quietBody.get("type").asString()).isEqualTo("sensor.status_changed");
        assertThat(quietBody.get("data").get("sensorId").asString()).isEqualTo(quiet);
        assertThat(json(loudRow.get("body")).has("silenced")).isFalse();
    }

    @Test
    void aReminderIsLoggedOncePerNumberWhateverHowManyWebhooksSendIt() {
        String sensor = this.data.sensor("stream-reminded-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> types = List.of("sensor.status_changed", "sensor.status_reminder");
        this.data.webhookReceiving(this.receiver.url("/a"), this.secret, types, 1);
        this.data.webhookReceiving(this.receiver.url("/b"), this.secret, types, 1);

        this.data.change(sensor, Status.CRITICAL, 97.0);
        await().atMost(WAIT).until(() -> reminders("/a") >= 2 && reminders("/b") >= 2);
        this.data.acknowledge(sensor, "stop");

        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> logged = events().stream()
                .filter(row -> row.get("event_type").equals("sensor.status_reminder"))
                .map(row -> json(row.get("body")))
                .toList();
            assertThat(logged).extracting(body -> body.get("data").get("reminder").asInt())
                .as("each number once, in order")
                .startsWith(1, 2)
                .doesNotHaveDuplicates()
                .isSorted();
        });
    }

    @Test
    void eventsAboutWebhooksAreLogged() {
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        String payload = "{\"type\": \"webhook.failing\", \"timestamp\": \"2026-12-06T08:00:00.000Z\", "
                + "\"data\": {\"webhookId\": \"" + webhook + "\"}}";
        this.jdbc.sql("""
                INSERT INTO webhook_event_outbox (client_id, webhook_id, event_type, payload)
                VALUES (?, ?, 'webhook.failing', ?::jsonb)""").params(this.data.clientId(), webhook, payload).update();
        this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.STATUS_CHANGES).query().listOfRows();

        await().atMost(WAIT).until(() -> events().size() == 1);
        assertThat(events().get(0)).containsEntry("event_type", "webhook.failing");
        assertThat(json(events().get(0).get("body"))).isEqualTo(json(payload));
    }

    @Test
    void retentionDeletesOldEventsAndMarksTheHighestIdDeleted() {
        long old = insertEvent("26 hours");
        long recent = insertEvent("1 hour");

        while (this.retention.pruneOnce() > 0) {
            // other tests' old rows, if any
        }

        assertThat(events()).extracting(row -> row.get("id")).containsExactly(recent);
        assertThat(this.jdbc.sql("SELECT up_to FROM client_events_pruned").query(Long.class).single())
            .isGreaterThanOrEqualTo(old)
            .isLessThan(recent);
    }

    private long insertEvent(String age) {
        return this.jdbc.sql("""
                INSERT INTO client_events (client_id, event_id, event_type, body, created_at)
                VALUES (?, gen_random_uuid(), 'webhook.failing', '{}', now() - ?::interval) RETURNING id""")
            .params(this.data.clientId(), age)
            .query(Long.class)
            .single();
    }

    private void silence(String sensor) {
        this.jdbc.sql("""
                INSERT INTO silences (id, client_id, sensor_ids, starts_at, ends_at)
                VALUES (gen_random_uuid(), ?, ARRAY[?]::text[], ?::timestamptz, ?::timestamptz)""")
            .params(this.data.clientId(), sensor, Instant.now().minusSeconds(3600).toString(),
                    Instant.now().plusSeconds(3600).toString())
            .update();
    }

    private long reminders(String path) {
        return this.receiver.requestsTo(path)
            .stream()
            .map(Receiver.Request::body)
            .filter(body -> json(body).get("type").asString().equals("sensor.status_reminder"))
            .count();
    }

    private List<Map<String, Object>> events() {
        return this.jdbc.sql("SELECT * FROM client_events WHERE client_id = ? ORDER BY id")
            .param(this.data.clientId())
            .query()
            .listOfRows();
    }

    private static JsonNode json(Object value) {
        return JSON.readTree(value.toString());
    }

}
