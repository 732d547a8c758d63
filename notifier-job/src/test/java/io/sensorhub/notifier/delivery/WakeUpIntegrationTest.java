package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Committed changes and deliveries are attempted through wake-ups alone. The fallback
 * poll is set to ten minutes here, so a delivery that arrives within the test's wait was
 * woken, however slow the machine is, and one whose wake-up was lost would not arrive at
 * all.
 */
@NotifierIntegrationTest(properties = { "sensorhub.webhooks.allow-private-networks=true",
        "sensorhub.webhooks.timeout=2s", "sensorhub.webhooks.poll-interval=10m",
        "sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY })
class WakeUpIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final int SENSORS = 4;

    private static final int CHANGES_PER_SENSOR = 25;

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

    /**
     * A status change's path to its POST runs on wake-ups only: the fan-out claims right
     * after its commit, and a sensor's later changes, which wait for the earlier ones,
     * are claimed by the delivery loop's rounds as attempts finish. The changes are
     * recorded from a thread per sensor at once, so that commits, fan-outs, claims and
     * finished attempts interleave every which way; each must still arrive, in order.
     */
    @Test
    void statusChangesRecordedAtOnceAreAllDeliveredInOrderWithoutWaitingForThePoll() {
        List<String> sensors = IntStream.range(0, SENSORS).mapToObj((i) -> this.data.sensor("wake-up-" + i)).toList();
        this.data.webhook(this.receiver.url(), this.secret);
        ExecutorService threads = Executors.newFixedThreadPool(SENSORS);
        try {
            CompletableFuture
                .allOf(sensors.stream()
                    .map((sensor) -> CompletableFuture.runAsync(() -> this.data.changes(sensor, CHANGES_PER_SENSOR),
                            threads))
                    .toArray(CompletableFuture[]::new))
                .join();
        }
        finally {
            threads.shutdown();
        }

        await().atMost(WAIT).until(() -> this.receiver.requests().size() >= SENSORS * CHANGES_PER_SENSOR);
        List<Long> expected = LongStream.rangeClosed(1, CHANGES_PER_SENSOR).boxed().toList();
        assertThat(sequencesBySensor(this.receiver.requests())).hasSize(SENSORS)
            .allSatisfy((sensor, sequences) -> assertThat(sequences).as(sensor).isEqualTo(expected));
    }

    private static Map<String, List<Long>> sequencesBySensor(List<Receiver.Request> requests) {
        Map<String, List<Long>> sequences = new TreeMap<>();
        for (Receiver.Request request : requests) {
            JsonNode data = JsonMapper.shared().readTree(request.body()).get("data");
            sequences.computeIfAbsent(data.get("sensorId").asString(), (sensor) -> new ArrayList<>())
                .add(data.get("sequence").asLong());
        }
        return sequences;
    }

}
