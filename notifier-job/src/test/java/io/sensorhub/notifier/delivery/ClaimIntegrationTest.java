package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver.Answer;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claiming by host (issue 5): a host at its concurrency limit, however long its queue,
 * neither slows down nor holds up the claiming of other hosts' deliveries, and a host is
 * never leased more than its share.
 */
@NotifierIntegrationTest
class ClaimIntegrationTest extends ReceiverTestSupport {

    private static final int BACKLOG = 5000;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private DeliveryProperties properties;

    @Test
    void aSaturatedHostWithALongQueueDoesNotDelayAnotherHostAndIsLeasedAtMostItsShare() throws Exception {
        try (Receiver slow = new Receiver()) {
            slow.answering(request -> Answer.after(1500, Answer.status(204)));
            UUID slowWebhook = this.data.webhook(slow.url(), this.secret);
            backlog(slowWebhook, BACKLOG);
            String slowHost = "127.0.0.1:" + slow.port();
            int share = this.properties.maxConcurrencyPerHost() * DeliveryLoop.PREFETCH;
            await().atMost(Duration.ofSeconds(10)).until(() -> leased(slowHost) == share);
            this.data.webhook(this.receiver.url("/fast"), this.secret);
            String sensor = this.data.sensor("claim-fast");

            StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

            await().atMost(Duration.ofSeconds(30)).until(() -> this.receiver.requestsTo("/fast").size() == 1);
            assertThat(this.receiver.requestsTo("/fast").get(0).eventId()).isEqualTo(change.eventId().toString());
            // Not queued behind the slow host: it arrived while nearly all of that
            // backlog (minutes of 1.5 s answers at the host's share) is still pending,
            // and the slow host never held more than its share.
            assertThat(leased(slowHost)).isLessThanOrEqualTo(share);
            assertThat(pending(slowWebhook)).isGreaterThan(BACKLOG - share * 4);
            this.jdbc.sql("UPDATE webhooks SET enabled = false WHERE id = ?").param(slowWebhook).update();
        }
    }

    @Test
    void aWebhookWhoseUrlChangesTakesItsPendingDeliveriesToTheNewHost() throws Exception {
        try (Receiver old = new Receiver()) {
            UUID webhook = this.data.webhook(old.url(), this.secret);
            this.jdbc.sql("UPDATE webhooks SET enabled = false WHERE id = ?").param(webhook).update();
            backlog(webhook, 3);
            assertThat(hosts(webhook)).containsExactly("127.0.0.1:" + old.port());

            this.jdbc.sql("UPDATE webhooks SET url = ? WHERE id = ?")
                .params(this.receiver.url("/moved"), webhook)
                .update();
            assertThat(hosts(webhook)).containsExactly("127.0.0.1:" + this.receiver.port());
            this.jdbc.sql("UPDATE webhooks SET enabled = true WHERE id = ?").param(webhook).update();

            await().atMost(Duration.ofSeconds(30)).until(() -> this.receiver.requestsTo("/moved").size() == 3);
            assertThat(old.requests()).isEmpty();
        }
    }

    /**
     * Ready deliveries of as many sensors, inserted as another writer would (the host set
     * by the trigger).
     */
    private void backlog(UUID webhook, int count) {
        this.jdbc
            .sql("""
                    INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload)
                    SELECT gen_random_uuid(), ?, gen_random_uuid(), 'sensor.status_changed', 'backlog-' || i, 1,
                           jsonb_build_object('type', 'sensor.status_changed', 'data', jsonb_build_object('sensorId', 'backlog-' || i))
                    FROM generate_series(1, ?) i""")
            .params(webhook, count)
            .update();
        this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.DELIVERIES).query().listOfRows();
    }

    private int leased(String host) {
        return this.jdbc.sql(
                "SELECT count(*) FROM webhook_deliveries WHERE host = ? AND state = 'pending' AND locked_until > now()")
            .param(host)
            .query(Integer.class)
            .single();
    }

    private int pending(UUID webhook) {
        return this.jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND state = 'pending'")
            .param(webhook)
            .query(Integer.class)
            .single();
    }

    private List<String> hosts(UUID webhook) {
        return this.jdbc.sql("SELECT DISTINCT host FROM webhook_deliveries WHERE webhook_id = ? AND state = 'pending'")
            .param(webhook)
            .query(String.class)
            .list();
    }

}
