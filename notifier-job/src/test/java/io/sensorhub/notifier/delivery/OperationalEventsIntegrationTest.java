package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operational events end to end: a receiver answering 500 makes its webhook failing after
 * {@code sensorhub.webhooks.failing-after} (default 3) attempts, a 410 disables it, and
 * its first success after it is enabled again recovers it; the client's ops webhook gets
 * {@code webhook.failing}, {@code webhook.disabled} and {@code webhook.recovered} in that
 * order, signed (checked by the official Standard Webhooks library), and no other webhook
 * gets them.
 */
@NotifierIntegrationTest
class OperationalEventsIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final DateTimeFormatter BODY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private static final List<String> OPERATIONAL = List.of("webhook.failing", "webhook.disabled", "webhook.recovered");

    @Autowired
    private JdbcClient jdbc;

    @Test
    void aFailingEndpointIsReportedFailingDisabledAndRecoveredToTheClientsOpsWebhook() {
        String opsSecret = TestData.secret();
        // the test schedule retries three times: attempts 1 to 3 fail, the 4th is told
        // 410 Gone; once enabled again it succeeds
        this.receiver.answering(request -> {
            int attempt = this.receiver.requestsTo("/failing").size();
            if (!request.path().equals("/failing") || attempt > 4) {
                return Answer.status(204);
            }
            return (attempt < 4) ? Answer.status(500) : Answer.status(410);
        });
        String sensor = this.data.sensor("ops-boiler");
        UUID failing = this.data.webhookReceiving(this.receiver.url("/failing"), this.secret,
                List.of("sensor.status_changed", "webhook.failing", "webhook.disabled", "webhook.recovered"), null);
        this.data.webhookReceiving(this.receiver.url("/ops"), opsSecret, OPERATIONAL, null);
        this.data.webhook(this.receiver.url("/plain"), this.secret);

        StatusChange critical = this.data.change(sensor, Status.CRITICAL, 99.0);
        await().atMost(WAIT).until(() -> ops().size() == 2);

        List<Map<String, Object>> attempts = this.data.attempts(failing, critical.eventId());
        JsonNode failingEvent = ops().get(0);
        assertThat(failingEvent.get("type").asString()).isEqualTo("webhook.failing");
        assertThat(failingEvent.get("timestamp").asString()).isEqualTo(bodyTime(attempts.get(2).get("at")))
            .as("made by the third failed attempt");
        JsonNode failingData = failingEvent.get("data");
        assertThat(failingData.propertyNames()).containsExactlyInAnyOrder("webhookId", "url", "failingSince",
                "consecutiveFailures", "lastError");
        assertThat(failingData.get("webhookId").asString()).isEqualTo(failing.toString());
        assertThat(failingData.get("url").asString()).isEqualTo(this.receiver.url("/failing"));
        assertThat(failingData.get("failingSince").asString()).isEqualTo(bodyTime(attempts.get(0).get("at")));
        assertThat(failingData.get("consecutiveFailures").asInt()).isEqualTo(3);
        assertThat(failingData.get("lastError").asString()).isEqualTo("HTTP 500");

        JsonNode disabledEvent = ops().get(1);
        assertThat(disabledEvent.get("type").asString()).isEqualTo("webhook.disabled");
        JsonNode disabledData = disabledEvent.get("data");
        assertThat(disabledData.propertyNames()).containsExactlyInAnyOrder("webhookId", "url", "disabledReason",
                "disabledAt");
        assertThat(disabledData.get("disabledReason").asString()).isEqualTo("the endpoint answered 410 Gone");
        assertThat(disabledData.get("disabledAt").asString()).matches(WebhookBodyFormat.TIME);
        assertThat(this.data.webhookRow(failing)).containsEntry("enabled", false);

        // the client enables it again (as PATCH {"enabled": true} does), and the next
        // change gets through
        this.jdbc.sql("UPDATE webhooks SET enabled = true WHERE id = ?").param(failing).update();
        this.data.change(sensor, Status.OK, 20.0);
        await().atMost(WAIT).until(() -> ops().size() == 3);

        JsonNode recoveredEvent = ops().get(2);
        assertThat(recoveredEvent.get("type").asString()).isEqualTo("webhook.recovered");
        JsonNode recoveredData = recoveredEvent.get("data");
        assertThat(recoveredData.propertyNames()).containsExactlyInAnyOrder("webhookId", "url", "failingSince",
                "recoveredAt");
        assertThat(recoveredData.get("failingSince").asString()).isEqualTo(failingData.get("failingSince").asString());
        assertThat(recoveredData.get("recoveredAt").asString()).isEqualTo(recoveredEvent.get("timestamp").asString());

        assertThat(types("/failing")).as("never about itself").containsOnly("sensor.status_changed");
        assertThat(types("/plain")).containsExactly("sensor.status_changed", "sensor.status_changed");
        assertThat(types("/ops")).containsExactly("webhook.failing", "webhook.disabled", "webhook.recovered");
        this.receiver.assertAllSignedWith("/ops", opsSecret);
        this.receiver.assertAllSignedWith("/failing", this.secret);
        this.receiver.assertAllSignedWith("/plain", this.secret);
    }

    private List<JsonNode> ops() {
        return this.receiver.requestsTo("/ops").stream().map(OperationalEventsIntegrationTest::body).toList();
    }

    private List<String> types(String path) {
        return this.receiver.requestsTo(path).stream().map(r -> body(r).get("type").asString()).toList();
    }

    /** A time from the database as a webhook body writes it. */
    private static String bodyTime(Object at) {
        return BODY_TIME.format(((java.sql.Timestamp) at).toInstant());
    }

    private static JsonNode body(Receiver.Request request) {
        return JsonMapper.shared().readTree(request.body());
    }

}
