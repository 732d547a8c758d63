package io.sensorhub.notifier.reminders;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.OtherInstance;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reminder schedule is durable: two notifier-job instances (this test's context and a
 * second JVM) send each reminder once; with both down (this one's reminder loop stopped,
 * the other killed with SIGKILL) a reminder falls due, and after the restart it is sent,
 * once, and the count goes on without a gap.
 */
@NotifierIntegrationTest
class ReminderRestartIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final int INTERVAL = 1;

    @Autowired
    private ReminderLoop loop;

    @Autowired
    private JdbcClient jdbc;

    private OtherInstance other;

    @AfterEach
    void restoreThisInstanceAndKillTheOther() throws InterruptedException {
        if (this.other != null) {
            this.other.kill();
        }
        if (!this.loop.isRunning()) {
            this.loop.start();
        }
    }

    @Test
    void noReminderIsLostOrRepeatedAcrossTwoInstancesACrashAndARestart() throws Exception {
        String sensor = this.data.sensor("restarted");
        UUID webhook = this.data.webhookReceiving(this.receiver.url(), this.secret,
                ReminderIntegrationTest.WITH_REMINDERS, INTERVAL);
        this.other = OtherInstance.start("reminders-other-instance", "300ms,600ms");
        await().atMost(Duration.ofSeconds(90)).until(() -> listeners() >= 2);

        this.data.change(sensor, Status.CRITICAL, 99.0);
        await().atMost(WAIT).until(() -> reminders().size() >= 4);

        this.loop.stop();
        this.other.kill();
        this.other = null;
        await().atMost(WAIT).until(() -> overdueBy(sensor, webhook, Duration.ofSeconds(2 * INTERVAL)));
        int beforeRestart = reminders().size();
        Instant restarted = Instant.now();
        this.loop.start();

        await().atMost(WAIT).until(() -> reminders().size() >= beforeRestart + 3);
        // an attempt cut short by the kill may be made again, with the same webhook-id
        // (at
        // least once): count each webhook-id once
        Map<String, JsonNode> byEvent = new LinkedHashMap<>();
        this.receiver.requestsTo("/hook")
            .forEach(request -> byEvent.merge(request.eventId(), ReminderIntegrationTest.body(request),
                    (first, again) -> {
                        assertThat(again).as("a repeat is the same event").isEqualTo(first);
                        return first;
                    }));
        List<JsonNode> reminders = byEvent.values()
            .stream()
            .filter(b -> b.get("type").asString().equals("sensor.status_reminder"))
            .toList();
        assertThat(reminders).extracting(r -> r.get("data").get("reminder").asInt())
            .as("each number once, none missing")
            .containsExactlyElementsOf(IntStream.rangeClosed(1, reminders.size()).boxed().toList());
        List<Instant> after = reminders.stream()
            .map(r -> Instant.parse(r.get("timestamp").asString()))
            .filter(at -> at.isAfter(restarted))
            .toList();
        assertThat(after).hasSizeGreaterThanOrEqualTo(2);
        assertThat(after.get(1)).as("one reminder for the time it was down, then one per interval, not a burst")
            .isAfterOrEqualTo(after.get(0).plusSeconds(INTERVAL).minusMillis(1));
        this.receiver.assertAllSignedWith(this.secret);
    }

    /** The reminders received, each webhook-id once. */
    private List<String> reminders() {
        return this.receiver.requestsTo("/hook")
            .stream()
            .filter(r -> ReminderIntegrationTest.body(r).get("type").asString().equals("sensor.status_reminder"))
            .map(Receiver.Request::eventId)
            .distinct()
            .toList();
    }

    private boolean overdueBy(String sensor, UUID webhook, Duration overdue) {
        return this.jdbc.sql("""
                SELECT count(*) FROM webhook_reminders
                WHERE sensor_id = ? AND webhook_id = ? AND due_at < now() - make_interval(secs => ?)""")
            .params(sensor, webhook, overdue.toSeconds())
            .query(Long.class)
            .single() > 0;
    }

    private long listeners() {
        return this.jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'notifier-job listener'""")
            .query(Long.class)
            .single();
    }

}
