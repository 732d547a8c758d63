package io.sensorhub.notifier.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.delivery.DeliveryPolicy.DeliveryState;
import io.sensorhub.notifier.delivery.DeliveryPolicy.Verdict;
import io.sensorhub.notifier.delivery.DeliveryRecords.Outcome;
import io.sensorhub.notifier.fanout.FanOut;
import io.sensorhub.notifier.support.IsolatedSchema;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code webhook_deliveries.host}, the key the claim schedules by, is kept by the
 * database alone: whoever inserts or revives a delivery, and however that races with a
 * change of the webhook's URL, a pending delivery's host is its webhook's. Runs in a
 * schema of its own, without the application's loops.
 */
class DeliveryHostIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private IsolatedSchema schema;

    private TestData data;

    @BeforeEach
    void createSchema() {
        this.schema = new IsolatedSchema("delivery_host", 4);
        this.data = this.schema.data();
    }

    @AfterEach
    void dropSchema() throws Exception {
        this.schema.close();
    }

    @Test
    void aDeliveryHasItsWebhooksHostFromTheFanOutThroughAMoveAndARevival() {
        String sensor = this.data.sensor("host-1");
        UUID webhook = this.data.webhook("http://Old.Example:8080/hook", TestData.secret());
        this.data.change(sensor, Status.CRITICAL, 1.0);
        new FanOut(this.schema.jdbc(), this.schema.transactions()).fanOut(10);
        UUID fannedOut = this.schema.jdbc()
            .sql("SELECT id FROM webhook_deliveries WHERE webhook_id = ?")
            .param(webhook)
            .query(UUID.class)
            .single();
        assertThat(host(fannedOut)).isEqualTo("old.example:8080");

        DeliveryRecords records = new DeliveryRecords(this.schema.jdbc(), this.schema.transactions());
        ClaimedDelivery claimed = records.claim("instance-a", 10, Duration.ofMinutes(1), Map.of(), 10).get(0);
        records.record("instance-a",
                List.of(new Outcome(claimed, new AttemptResult(Instant.now(), 204, 1, null, null, ""),
                        new Verdict(DeliveryState.SUCCEEDED, null, false))),
                Duration.ofDays(1));
        UUID pending = insertByHand(this.schema.jdbc(), webhook);
        assertThat(host(pending)).as("whatever the insert said").isEqualTo("old.example:8080");

        this.schema.jdbc()
            .sql("UPDATE webhooks SET url = 'https://new.example/hook' WHERE id = ?")
            .param(webhook)
            .update();
        assertThat(host(pending)).isEqualTo("new.example");
        assertThat(host(fannedOut)).as("finished: not claimed again, not kept").isEqualTo("old.example:8080");

        this.schema.jdbc()
            .sql("UPDATE webhook_deliveries SET state = 'pending' WHERE id = ?")
            .param(fannedOut)
            .update();
        assertThat(host(fannedOut)).isEqualTo("new.example");
    }

    @Test
    void aDeliveryInsertedWhileItsWebhookMovesGetsTheNewHost() throws Exception {
        UUID webhook = this.data.webhook("http://old.example/hook", TestData.secret());
        UUID delivery;
        try (Connection insert = this.schema.dataSource().getConnection()) {
            insert.setAutoCommit(false);
            delivery = insertByHand(insert, webhook);
            CompletableFuture<Integer> moved = CompletableFuture.supplyAsync(() -> this.schema.jdbc()
                .sql("UPDATE webhooks SET url = 'http://new.example/hook' WHERE id = ?")
                .param(webhook)
                .update());
            await().atMost(WAIT).until(() -> this.schema.waitingForALock() || moved.isDone());
            insert.commit();
            assertThat(moved.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(host(delivery)).isEqualTo("new.example");
    }

    @Test
    void aWebhookMovingWhileOneOfItsDeliveriesIsInsertedTakesItAlong() throws Exception {
        UUID webhook = this.data.webhook("http://old.example/hook", TestData.secret());
        CompletableFuture<UUID> inserted;
        try (Connection move = this.schema.dataSource().getConnection()) {
            move.setAutoCommit(false);
            try (PreparedStatement update = move
                .prepareStatement("UPDATE webhooks SET url = 'http://new.example/hook' WHERE id = ?")) {
                update.setObject(1, webhook);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            inserted = CompletableFuture.supplyAsync(() -> insertByHand(this.schema.jdbc(), webhook));
            await().atMost(WAIT).until(() -> this.schema.waitingForALock() || inserted.isDone());
            move.commit();
        }
        assertThat(host(inserted.get(60, TimeUnit.SECONDS))).isEqualTo("new.example");
    }

    /**
     * A test event inserted as an operator would, with a host that is not its webhook's.
     */
    private static UUID insertByHand(JdbcClient jdbc, UUID webhook) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload, host)
                VALUES (?, ?, gen_random_uuid(), 'webhook.test', '{}', 'somewhere.else')""")
            .params(id, webhook)
            .update();
        return id;
    }

    private static UUID insertByHand(Connection connection, UUID webhook) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload, host)
                VALUES (?, ?, gen_random_uuid(), 'webhook.test', '{}', 'somewhere.else')""")) {
            insert.setObject(1, id);
            insert.setObject(2, webhook);
            insert.executeUpdate();
        }
        return id;
    }

    private String host(UUID delivery) {
        return this.schema.jdbc()
            .sql("SELECT host FROM webhook_deliveries WHERE id = ?")
            .param(delivery)
            .query(String.class)
            .single();
    }

}
