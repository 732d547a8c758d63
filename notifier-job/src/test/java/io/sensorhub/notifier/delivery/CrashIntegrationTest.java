package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.OtherInstance;
import io.sensorhub.notifier.support.Receiver.Answer;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two notifier instances (this test's context and a second JVM) share the work; the
 * second is killed with SIGKILL while it holds deliveries in flight. Every event still
 * arrives, at least once, with a stable {@code webhook-id}, and no event is ever being
 * delivered by two instances at the same time.
 * <p>
 * This instance sends at most two attempts at a time to the receiver, so it alone would
 * need about 12 s for the 40 events: the second instance gets its share even when a busy
 * machine starts it slowly.
 */
@NotifierIntegrationTest(properties = { "sensorhub.webhooks.allow-private-networks=true",
        "sensorhub.webhooks.retry-schedule=300ms,600ms,900ms", "sensorhub.webhooks.jitter=0",
        "sensorhub.webhooks.timeout=2s", "sensorhub.webhooks.lease=5s", "sensorhub.webhooks.poll-interval=1s",
        "sensorhub.webhooks.disable-after=1h", "sensorhub.webhooks.max-concurrency-per-host=2",
        "sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY })
class CrashIntegrationTest extends ReceiverTestSupport {

    private static final int EVENTS = 40;

    @Autowired
    private JdbcClient jdbc;

    private OtherInstance other;

    @AfterEach
    void killTheOtherInstance() throws InterruptedException {
        if (this.other != null) {
            this.other.kill();
        }
    }

    @Test
    void killingAnInstanceMidDeliveryLosesNothingAndNeverOverlapsTwoInstancesOnOneEvent() throws Exception {
        String secret = TestData.secret();
        // Slow enough to be caught in flight, quicker than every instance's timeout.
        this.receiver.answering(request -> Answer.after(600, Answer.status(204)));
        UUID webhook = this.data.webhook(this.receiver.url(), secret);
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            sensors.add(this.data.sensor("crash-" + i));
        }
        this.other = OtherInstance.start("crash-second-instance", "300ms,600ms");
        await().atMost(Duration.ofSeconds(90)).until(() -> listeners() >= 2);

        List<StatusChange> changes = sensors.stream()
            .map(sensor -> this.data.change(sensor, Status.CRITICAL, 1.0))
            .toList();

        String otherInstance = this.other.pid() + "@";
        await().atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> leasesHeldBy(otherInstance) > 0);
        this.other.kill();

        await().atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(this.data.deliveries(webhook)).hasSize(EVENTS)
                .allSatisfy(d -> assertThat(d.get("state")).isEqualTo("succeeded")));
        Set<String> expected = changes.stream().map(c -> c.eventId().toString()).collect(Collectors.toSet());
        Map<String, Long> arrivals = this.receiver.requests()
            .stream()
            .collect(Collectors.groupingBy(Receiver.Request::eventId, Collectors.counting()));
        assertThat(arrivals.keySet()).isEqualTo(expected);
        assertThat(this.receiver.maxConcurrentPerEvent()).isEqualTo(1);
        this.receiver.assertAllSignedWith(secret);
    }

    private long listeners() {
        return this.jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'notifier-job listener'""")
            .query(Long.class)
            .single();
    }

    private long leasesHeldBy(String instancePrefix) {
        return this.jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending' AND locked_by LIKE ?")
            .param(instancePrefix + "%")
            .query(Long.class)
            .single();
    }

}
