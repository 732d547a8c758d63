package io.sensorhub.notifier.reminders;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.WebhookBodyFormat;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.Receiver.Answer;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reminders end to end: status changes recorded as sensor-consumer records them, a real
 * receiver, every signature checked by the official Standard Webhooks library. The
 * webhooks remind every {@value #INTERVAL} s (set in the database; the API takes 60 or
 * more).
 */
@NotifierIntegrationTest
class ReminderIntegrationTest extends ReceiverTestSupport {

    static final int INTERVAL = 2;

    static final List<String> WITH_REMINDERS = List.of("sensor.status_changed", "sensor.status_reminder");

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private JdbcClient jdbc;

    @Test
    void remindersComeEveryRepeatIntervalStopWhenAcknowledgedAndResumeAfterTheNextChange() {
        String sensor = this.data.sensor("reminded-boiler");
        UUID webhook = this.data.webhookReceiving(this.receiver.url(), this.secret, WITH_REMINDERS, INTERVAL);
        this.data.webhook(this.receiver.url("/no-reminders"), this.secret);

        StatusChange critical = this.data.change(sensor, Status.CRITICAL, 97.5);
        await().atMost(WAIT).until(() -> reminders(1).size() >= 2);
        JsonNode change = body(this.receiver.requestsTo("/hook").get(0));
        assertThat(change.get("type").asString()).isEqualTo("sensor.status_changed");
        List<JsonNode> first = reminders(1);
        for (int i = 0; i < first.size(); i++) {
            JsonNode reminder = first.get(i);
            assertThat(reminder.get("timestamp").asString()).matches(WebhookBodyFormat.TIME);
            JsonNode data = reminder.get("data");
            assertThat(data.get("reminder").asInt()).isEqualTo(i + 1);
            assertThat(withoutReminder(data)).isEqualTo(change.get("data"));
            // never before its time: the n-th comes n intervals after the change at the
            // earliest
            assertThat(Instant.parse(reminder.get("timestamp").asString()))
                .isAfterOrEqualTo(Instant.parse(change.get("data").get("changedAt").asString())
                    .plusSeconds((long) INTERVAL * (i + 1)));
        }
        assertThat(this.receiver.requestsTo("/no-reminders")).singleElement()
            .satisfies(request -> assertThat(body(request).get("type").asString()).isEqualTo("sensor.status_changed"));

        Instant acknowledged = this.data.acknowledge(sensor, "on it");
        // (a reminder whose transaction began just before the acknowledgement committed
        // may
        // still carry a later time)
        await().atMost(WAIT).until(() -> !scheduled(sensor, webhook) && nothingPending(webhook));
        assertThat(reminders(1)).as("none made after the acknowledgement")
            .allSatisfy(r -> assertThat(Instant.parse(r.get("timestamp").asString()))
                .isBefore(acknowledged.plusMillis(500)));

        StatusChange fault = this.data.change(sensor, Status.FAULT, null);
        await().atMost(WAIT).until(() -> reminders(2).size() >= 2);
        assertThat(reminders(2)).extracting(r -> r.get("data").get("reminder").asInt()).startsWith(1, 2);
        assertThat(reminders(2)).allSatisfy(r -> assertThat(r.get("data").get("status").asString()).isEqualTo("FAULT"));

        StatusChange ok = this.data.change(sensor, Status.OK, 20.0);
        await().atMost(WAIT).until(() -> changes().size() == 3 && !scheduled(sensor, webhook));
        assertThat(changes()).extracting(c -> c.get("data").get("sequence").asLong())
            .containsExactly(critical.sequence(), fault.sequence(), ok.sequence());
        assertThat(this.receiver.requestsTo("/hook")).as("in sequence order, reminders included")
            .extracting(r -> body(r).get("data").get("sequence").asLong())
            .isSorted();
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void noReminderIsMadeWhileTheChangeItRemindsOfIsStillBeingDelivered() {
        // the change's first attempt is answered 503 with a retry after 3 s: reminders
        // due
        // meanwhile wait
        this.receiver.answering(request -> (this.receiver.requestsTo("/hook").size() == 1)
                ? Answer.status(503, "Retry-After", "3") : Answer.status(204));
        String sensor = this.data.sensor("slow-receiver");
        this.data.webhookReceiving(this.receiver.url(), this.secret, WITH_REMINDERS, 1);

        this.data.change(sensor, Status.CRITICAL, 99.0);

        await().atMost(WAIT).until(() -> reminders(1).size() >= 2);
        List<String> types = this.receiver.requestsTo("/hook")
            .stream()
            .map(r -> body(r).get("type").asString())
            .toList();
        assertThat(types).startsWith("sensor.status_changed", "sensor.status_changed", "sensor.status_reminder");
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void aReminderWaitingToBeRetriedIsWithdrawnWhenTheStatusChangesAndDoesNotHoldUpTheChange() {
        // reminders are answered 503 with a retry after a minute: the OK change would
        // wait
        // that long behind one
        this.receiver.answering(request -> body(request).get("type").asString().equals("sensor.status_reminder")
                ? Answer.status(503, "Retry-After", "60") : Answer.status(204));
        String sensor = this.data.sensor("withdrawn");
        UUID webhook = this.data.webhookReceiving(this.receiver.url(), this.secret, WITH_REMINDERS, INTERVAL);
        this.data.change(sensor, Status.CRITICAL, 99.0);
        await().atMost(WAIT).until(() -> attemptedReminders(webhook) == 1);

        StatusChange ok = this.data.change(sensor, Status.OK, 20.0);

        await().atMost(WAIT).until(() -> changes().size() == 2);
        assertThat(changes().get(1).get("data").get("sequence").asLong()).isEqualTo(ok.sequence());
        assertThat(reminders(1)).as("attempted once, never again").hasSize(1);
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.deliveries(webhook)).extracting(d -> d.get("event_type"))
                .containsExactly("sensor.status_changed", "sensor.status_changed"));
        assertThat(scheduled(sensor, webhook)).isFalse();
        this.receiver.assertAllSignedWith(this.secret);
    }

    /**
     * Reminder settings apply at once: a webhook given a repeat interval while sensors
     * are already CRITICAL is reminded of them without waiting for their next change
     * (only of those its filters let through and nobody acknowledged), and one whose
     * reminders are turned off loses its schedule.
     */
    @Test
    void aWebhookGivenARepeatIntervalIsRemindedOfAlarmsAlreadyRaised() {
        String raised = this.data.sensor("raised-before");
        String acknowledged = this.data.sensor("acknowledged-before");
        String filteredOut = this.data.sensor("filtered-out");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        StatusChange critical = this.data.change(raised, Status.CRITICAL, 97.5);
        this.data.change(acknowledged, Status.FAULT, null);
        this.data.change(filteredOut, Status.CRITICAL, 98.0);
        await().atMost(WAIT).until(() -> changes().size() == 3 && nothingPending(webhook));
        this.data.acknowledge(acknowledged, "known");

        // as crud-service's PUT /webhooks/{id} writes it
        this.jdbc.sql("""
                UPDATE webhooks SET event_types = ?::text[], repeat_interval = ?, sensor_ids = ?::text[]
                WHERE id = ?""")
            .params("{" + String.join(",", WITH_REMINDERS) + "}", INTERVAL, "{" + raised + "," + acknowledged + "}",
                    webhook)
            .update();

        await().atMost(WAIT).until(() -> remindersOf(raised).size() >= 2);
        JsonNode change = changes().stream()
            .filter(c -> c.get("data").get("sensorId").asString().equals(raised))
            .findFirst()
            .orElseThrow();
        assertThat(remindersOf(raised)).allSatisfy(reminder -> {
            assertThat(withoutReminder(reminder.get("data"))).isEqualTo(change.get("data"));
            assertThat(reminder.get("data").get("sequence").asLong()).isEqualTo(critical.sequence());
        });
        assertThat(remindersOf(raised)).extracting(r -> r.get("data").get("reminder").asInt()).startsWith(1, 2);
        assertThat(remindersOf(acknowledged)).as("acknowledged").isEmpty();
        assertThat(remindersOf(filteredOut)).as("not among the webhook's sensors").isEmpty();
        assertThat(scheduled(acknowledged, webhook) || scheduled(filteredOut, webhook)).isFalse();

        this.jdbc
            .sql("UPDATE webhooks SET event_types = '{sensor.status_changed}', repeat_interval = NULL WHERE id = ?")
            .param(webhook)
            .update();
        await().atMost(WAIT).until(() -> !scheduled(raised, webhook));
        this.receiver.assertAllSignedWith(this.secret);
    }

    private List<JsonNode> remindersOf(String sensor) {
        return this.receiver.requestsTo("/hook")
            .stream()
            .map(ReminderIntegrationTest::body)
            .filter(b -> b.get("type").asString().equals("sensor.status_reminder"))
            .filter(b -> b.get("data").get("sensorId").asString().equals(sensor))
            .toList();
    }

    private List<JsonNode> reminders(long sequence) {
        return this.receiver.requestsTo("/hook")
            .stream()
            .map(ReminderIntegrationTest::body)
            .filter(b -> b.get("type").asString().equals("sensor.status_reminder"))
            .filter(b -> b.get("data").get("sequence").asLong() == sequence)
            .toList();
    }

    private List<JsonNode> changes() {
        return this.receiver.requestsTo("/hook")
            .stream()
            .map(ReminderIntegrationTest::body)
            .filter(b -> b.get("type").asString().equals("sensor.status_changed"))
            .toList();
    }

    private boolean scheduled(String sensor, UUID webhook) {
        return this.jdbc.sql("SELECT count(*) FROM webhook_reminders WHERE sensor_id = ? AND webhook_id = ?")
            .params(sensor, webhook)
            .query(Long.class)
            .single() > 0;
    }

    private boolean nothingPending(UUID webhook) {
        return this.data.deliveries(webhook).stream().noneMatch(d -> "pending".equals(d.get("state")));
    }

    private long attemptedReminders(UUID webhook) {
        return this.data.deliveries(webhook)
            .stream()
            .filter(d -> "sensor.status_reminder".equals(d.get("event_type")))
            .filter(d -> ((Number) d.get("attempt_count")).intValue() >= 1)
            .count();
    }

    static JsonNode body(Receiver.Request request) {
        return JsonMapper.shared().readTree(request.body());
    }

    private static JsonNode withoutReminder(JsonNode data) {
        Map<String, Object> fields = JsonMapper.shared().convertValue(data, Map.class);
        fields.remove("reminder");
        return JsonMapper.shared().valueToTree(fields);
    }

}
