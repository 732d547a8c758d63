package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.UUID;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A committed delivery wakes the delivery loop through PostgreSQL's NOTIFY. The fallback
 * poll is set to ten minutes here, so a delivery that arrives within the test's wait was
 * woken by the notification, however slow the machine is, and one that was not would not
 * arrive at all.
 */
@NotifierIntegrationTest(properties = { "sensorhub.webhooks.allow-private-networks=true",
        "sensorhub.webhooks.timeout=2s", "sensorhub.webhooks.poll-interval=10m",
        "sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY })
class WakeUpIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void aTestEventInsertedByTheApiIsDeliveredWithoutWaitingForThePoll() {
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        UUID eventId = UUID.randomUUID();
        this.transactions.executeWithoutResult(tx -> {
            this.jdbc.sql("""
                    INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload)
                    VALUES (gen_random_uuid(), ?, ?, 'webhook.test', ?::jsonb)""")
                .params(webhook, eventId,
                        "{\"type\":\"webhook.test\",\"timestamp\":\"2026-11-29T10:00:00.000Z\",\"data\":{\"webhookId\":\""
                                + webhook + "\"}}")
                .update();
            this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.DELIVERIES).query().listOfRows();
        });

        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 1);
        assertThat(this.receiver.requests().get(0).eventId()).isEqualTo(eventId.toString());
        assertThat(this.receiver.requests().get(0).body()).contains("webhook.test");
        this.receiver.assertAllSignedWith(this.secret);
    }

}
