package io.sensorhub.notifier.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.sensorhub.common.logging.Correlation;
import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.signing.WebhookHeaders;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.WebhookBodyFormat;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver.Answer;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deliveries end to end: real PostgreSQL, a real HTTP receiver, every signature checked
 * by the official library.
 */
@NotifierIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class DeliveryIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TransactionTemplate transactions;

    @LocalServerPort
    private int port;

    @Test
    void statusChangeIsDeliveredSignedWithTheContractsHeadersAndBodyToMatchingWebhooksOnly() throws Exception {
        long testStarted = Instant.now().getEpochSecond();
        String sensor = this.data.sensor("boiler-7");
        this.data.sensor("other-sensor");
        UUID all = this.data.webhook(this.receiver.url("/all"), this.secret);
        this.data.webhook(this.receiver.url("/critical"), this.secret, null, List.of("CRITICAL"));
        this.data.webhook(this.receiver.url("/other"), this.secret, List.of("other-sensor"), null);

        StatusChange critical = this.data.change(sensor, Status.CRITICAL, 97.5);
        StatusChange ok = this.data.change(sensor, Status.OK, 20.0);

        await().atMost(WAIT).until(() -> this.receiver.requestsTo("/all").size() == 2);
        await().atMost(WAIT).until(() -> this.receiver.requestsTo("/critical").size() == 1);
        assertThat(this.receiver.requestsTo("/all")).extracting(Receiver.Request::eventId)
            .containsExactly(critical.eventId().toString(), ok.eventId().toString());
        assertThat(this.receiver.requestsTo("/critical").get(0).eventId()).isEqualTo(critical.eventId().toString());
        assertThat(this.receiver.requestsTo("/other")).isEmpty();
        this.receiver.assertAllSignedWith(this.secret);

        Receiver.Request first = this.receiver.requestsTo("/all").get(0);
        assertThat(first.header("Content-Type")).isEqualTo("application/json");
        assertThat(first.header("User-Agent")).startsWith("SensorHub-Webhooks/");
        // the time of this attempt: not before the change existed, not after the request
        // arrived
        assertThat(Long.parseLong(first.header(WebhookHeaders.TIMESTAMP))).isBetween(testStarted,
                first.arrivedAt().getEpochSecond());
        JsonNode body = JsonMapper.shared().readTree(first.body());
        assertThat(body.get("type").asString()).isEqualTo("sensor.status_changed");
        assertThat(body.get("timestamp").asString()).matches(WebhookBodyFormat.TIME);
        JsonNode event = body.get("data");
        assertThat(event.get("sensorId").asString()).isEqualTo("boiler-7");
        assertThat(event.get("previousStatus").asString()).isEqualTo("UNKNOWN");
        assertThat(event.get("status").asString()).isEqualTo("CRITICAL");
        assertThat(event.get("value").asDouble()).isEqualTo(97.5);
        assertThat(event.get("sequence").asLong()).isEqualTo(1);
        assertThat(event.get("reportedAt").asString()).matches(WebhookBodyFormat.TIME);
        assertThat(event.get("changedAt").asString()).isEqualTo(body.get("timestamp").asString());

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.deliveries(all)).extracting(d -> d.get("state"))
                .containsExactly("succeeded", "succeeded"));
        assertThat(this.data.attempts(all, critical.eventId())).singleElement()
            .satisfies(a -> assertThat(a.get("status_code")).isEqualTo(204));
    }

    @Test
    void eachDeliveryCarriesTheIdentityOfTheReadingThatCausedItIntoTheLogs(CapturedOutput output) {
        AtomicInteger calls = new AtomicInteger();
        this.receiver.answering(request -> (calls.incrementAndGet() == 1) ? Answer.status(500) : Answer.status(204));
        String sensor = this.data.sensor("correlated-1");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);

        StatusChange change = this.data.change(sensor, Status.CRITICAL, 99.0);

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.attempts(webhook, change.eventId()))
                .extracting(a -> a.get("status_code"))
                .containsExactly(500, 204));
        String correlation = Correlation.ofReading(sensor, change.reportedAt());
        assertThat(this.data.deliveries(webhook)).extracting(d -> d.get("correlation_id")).containsExactly(correlation);
        assertThat(output.getOut()).contains("[" + correlation + "] ")
            .containsPattern(java.util.regex.Pattern.quote("[" + correlation + "] ") + ".*Delivery of event "
                    + change.eventId() + " to webhook " + webhook + " failed \\(attempt 1: HTTP 500\\)");
    }

    @Test
    void failingReceiverIsRetriedOnTheScheduleWithTheSameWebhookIdUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        this.receiver.answering(request -> (calls.incrementAndGet() <= 2) ? Answer.status(500) : Answer.status(204));
        String sensor = this.data.sensor("retry-1");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);

        StatusChange change = this.data.change(sensor, Status.WARNING, 1.0);

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.attempts(webhook, change.eventId()))
                .extracting(a -> a.get("status_code"))
                .containsExactly(500, 500, 204));
        List<Receiver.Request> requests = this.receiver.requests();
        assertThat(requests).extracting(Receiver.Request::eventId).containsOnly(change.eventId().toString());
        assertThat(Duration.between(requests.get(0).arrivedAt(), requests.get(1).arrivedAt()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(Duration.between(requests.get(1).arrivedAt(), requests.get(2).arrivedAt()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(590));
        assertThat(this.data.attempts(webhook, change.eventId())).extracting(a -> a.get("error"))
            .containsExactly("HTTP 500", "HTTP 500", null);
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void afterTheLastRetryTheDeliveryIsDeadAndARedeliveryStartsTheScheduleAfresh() {
        this.receiver.answering(request -> Answer.status(500));
        String sensor = this.data.sensor("dead-1");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.deliveries(webhook)).singleElement()
                .satisfies(d -> assertThat(d.get("state")).isEqualTo("dead")));
        assertThat(this.receiver.requests()).hasSize(4);

        AtomicInteger calls = new AtomicInteger();
        this.receiver.answering(request -> (calls.incrementAndGet() == 1) ? Answer.status(502) : Answer.status(200));
        redeliver(webhook); // as crud-service does: pending again, and NOTIFY

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.deliveries(webhook)).singleElement()
                .satisfies(d -> assertThat(d.get("state")).isEqualTo("succeeded")));
        assertThat(this.data.attempts(webhook, change.eventId()))
            .extracting(a -> a.get("attempt"), a -> a.get("status_code"))
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 500), org.assertj.core.groups.Tuple.tuple(2, 500),
                    org.assertj.core.groups.Tuple.tuple(3, 500), org.assertj.core.groups.Tuple.tuple(4, 500),
                    org.assertj.core.groups.Tuple.tuple(5, 502), org.assertj.core.groups.Tuple.tuple(6, 200));
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void aReceiverSlowerThanTheTimeoutIsAFailedAttempt() {
        AtomicInteger calls = new AtomicInteger();
        this.receiver.answering(request -> (calls.incrementAndGet() == 1) ? Answer.after(4000, Answer.status(204))
                : Answer.status(204));
        String sensor = this.data.sensor("slow-1");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT).untilAsserted(() -> assertThat(this.data.attempts(webhook, change.eventId())).hasSize(2));
        Map<String, Object> timedOut = this.data.attempts(webhook, change.eventId()).get(0);
        assertThat(timedOut.get("status_code")).isNull();
        assertThat((String) timedOut.get("error")).startsWith("timeout");
        // it waited for the whole timeout (how much longer a busy machine took is not
        // this test's business)
        assertThat((Integer) timedOut.get("latency_ms")).isGreaterThanOrEqualTo(1900);
        assertThat(this.data.attempts(webhook, change.eventId()).get(1).get("status_code")).isEqualTo(204);
    }

    @Test
    void goneDisablesTheWebhookAtOnceAndItsPendingDeliveriesWaitUntilItIsEnabledAgain() {
        this.receiver.answering(request -> Answer.status(410));
        String sensor = this.data.sensor("gone-1");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        StatusChange first = this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.webhookRow(webhook).get("enabled")).isEqualTo(false));
        assertThat((String) this.data.webhookRow(webhook).get("disabled_reason")).contains("410");
        this.data.change(sensor, Status.OK, 2.0); // while disabled: fanned out to enabled
                                                  // webhooks only
        sleep(1500);
        assertThat(this.receiver.requests()).hasSize(1);
        assertThat(this.data.deliveries(webhook)).singleElement()
            .satisfies(d -> assertThat(d.get("state")).isEqualTo("pending"));

        this.receiver.answering(request -> Answer.status(204));
        this.jdbc.sql("UPDATE webhooks SET enabled = true WHERE id = ?").param(webhook).update();
        StatusChange third = this.data.change(sensor, Status.WARNING, 3.0);

        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 3);
        assertThat(this.receiver.requests()).extracting(Receiver.Request::eventId)
            .containsExactly(first.eventId().toString(), first.eventId().toString(), third.eventId().toString());
        assertThat(this.data.webhookRow(webhook).get("disabled_reason")).isNull();
    }

    @Test
    void aRedirectIsNotFollowed() {
        this.receiver.answering(request -> request.path().equals("/moved")
                ? Answer.status(302, "Location", this.receiver.url("/target")) : Answer.status(204));
        String sensor = this.data.sensor("redirect-1");
        UUID webhook = this.data.webhook(this.receiver.url("/moved"), this.secret);
        StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT)
            .untilAsserted(
                    () -> assertThat(this.data.attempts(webhook, change.eventId())).hasSizeGreaterThanOrEqualTo(2));
        assertThat(this.receiver.requestsTo("/target")).isEmpty();
        assertThat(this.data.attempts(webhook, change.eventId()).get(0))
            .satisfies(a -> assertThat(a.get("status_code")).isEqualTo(302))
            .satisfies(a -> assertThat((String) a.get("error")).contains("redirect"));
    }

    @Test
    void aHugeResponseIsNotReadInFull() {
        AtomicInteger sent = new AtomicInteger();
        this.receiver.answering(request -> Answer.endlessBody(sent));
        String sensor = this.data.sensor("huge-1");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.deliveries(webhook)).singleElement()
                .satisfies(d -> assertThat(d.get("state")).isEqualTo("succeeded")));
        assertThat(this.data.attempts(webhook, change.eventId())).singleElement()
            .satisfies(a -> assertThat(a.get("status_code")).isEqualTo(200));
        sleep(300);
        // what was written before the client hung up sat in socket buffers; nowhere near
        // the 256 MiB on offer
        assertThat(sent.get()).isLessThan(16 * 1024 * 1024);
    }

    @Test
    void retryAfterOnA503IsHonoured() {
        AtomicInteger calls = new AtomicInteger();
        this.receiver.answering(request -> (calls.incrementAndGet() == 1) ? Answer.status(503, "Retry-After", "2")
                : Answer.status(204));
        String sensor = this.data.sensor("retry-after-1");
        this.data.webhook(this.receiver.url(), this.secret);
        this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 2);
        List<Receiver.Request> requests = this.receiver.requests();
        assertThat(Duration.between(requests.get(0).arrivedAt(), requests.get(1).arrivedAt()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void withinADayOfASecretRotationEveryDeliveryVerifiesWithBothSecrets() {
        String previous = TestData.secret();
        String sensor = this.data.sensor("rotation-1");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        this.jdbc.sql(
                "UPDATE webhooks SET previous_secret = ?, secret_rotated_at = now() - interval '23 hours' WHERE id = ?")
            .params(previous, webhook)
            .update();
        this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 1);
        assertThat(this.receiver.requests().get(0).header(WebhookHeaders.SIGNATURE).split(" ")).hasSize(2);
        this.receiver.assertAllSignedWith(this.secret);
        this.receiver.assertAllSignedWith(previous);

        this.jdbc.sql("UPDATE webhooks SET secret_rotated_at = now() - interval '25 hours' WHERE id = ?")
            .param(webhook)
            .update();
        this.data.change(sensor, Status.OK, 1.0);
        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 2);
        assertThat(this.receiver.requests().get(1).header(WebhookHeaders.SIGNATURE).split(" ")).hasSize(1);
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void aWebhookFailingForDisableAfterIsDisabledAndASuccessEndsAStreak() {
        this.receiver.answering(request -> request.path().equals("/fail") ? Answer.status(500) : Answer.status(204));
        String sensor = this.data.sensor("streak-1");
        UUID failing = this.data.webhook(this.receiver.url("/fail"), this.secret);
        UUID healthy = this.data.webhook(this.receiver.url("/ok"), this.secret);
        this.jdbc.sql("UPDATE webhooks SET failing_since = now() - interval '2 hours' WHERE id IN (?, ?)")
            .params(failing, healthy)
            .update();

        this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.webhookRow(failing).get("enabled")).isEqualTo(false));
        assertThat((String) this.data.webhookRow(failing).get("disabled_reason")).contains("failed since");
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.webhookRow(healthy).get("failing_since")).isNull());
        assertThat(this.data.webhookRow(healthy).get("enabled")).isEqualTo(true);
        assertThat(this.data.deliveries(failing)).singleElement()
            .satisfies(d -> assertThat(d.get("state")).isEqualTo("pending"));
    }

    @Test
    void theListenConnectionReconnectsByItselfAndWakesDeliveriesAgain() {
        String sensor = this.data.sensor("reconnect-1");
        this.data.webhook(this.receiver.url(), this.secret);
        long before = listenerPid();

        this.jdbc.sql("SELECT pg_terminate_backend(?::int)").param(before).query().listOfRows();

        await().atMost(WAIT).until(() -> listenerPid() != before && listenerPid() != 0);
        StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);
        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 1);
        assertThat(this.receiver.requests().get(0).eventId()).isEqualTo(change.eventId().toString());
    }

    private long listenerPid() {
        return this.jdbc.sql("""
                SELECT coalesce(max(pid), 0) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'notifier-job listener'""")
            .query(Long.class)
            .single();
    }

    @Test
    void metricsAreOnThePrometheusEndpoint() throws Exception {
        String sensor = this.data.sensor("metrics-1");
        this.data.webhook(this.receiver.url(), this.secret);
        this.data.change(sensor, Status.CRITICAL, 1.0);
        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 1);

        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).contains("sensorhub_webhooks_attempts_total{outcome=\"succeeded\"",
                "sensorhub_webhooks_attempt_latency_seconds_bucket",
                "sensorhub_webhooks_first_attempt_delay_seconds_bucket",
                "sensorhub_webhooks_deliveries{state=\"pending\"", "sensorhub_webhooks_deliveries{state=\"dead\"",
                "sensorhub_webhooks_in_flight");
    }

    private void redeliver(UUID webhook) {
        this.transactions.executeWithoutResult(tx -> {
            this.jdbc
                .sql("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now() WHERE webhook_id = ?")
                .param(webhook)
                .update();
            this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.DELIVERIES).query().listOfRows();
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
