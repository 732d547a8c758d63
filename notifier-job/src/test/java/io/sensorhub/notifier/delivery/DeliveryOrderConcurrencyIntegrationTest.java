package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.sensorhub.common.concurrent.Threads;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order rule of {@link DeliveryRecords} (per webhook and sensor, only the pending
 * delivery with the lowest sequence is attempted) where instances race: fan-outs and
 * records of two instances at once, a fan-out committing while the end of the delivery
 * before it is being recorded, and a revived older delivery. The stores run in a schema
 * of their own, without the application's loops; the verdicts never depend on timing.
 */
class DeliveryOrderConcurrencyIntegrationTest {

    private static final Duration LEASE = Duration.ofMinutes(10); // never lapses here

    private static final Duration DISABLE_AFTER = Duration.ofDays(1);

    private IsolatedSchema schema;

    private TestData data;

    @BeforeEach
    void createSchema() {
        this.schema = new IsolatedSchema("delivery_order", 10);
        this.data = this.schema.data();
    }

    @AfterEach
    void dropSchema() throws Exception {
        this.schema.close();
    }

    /**
     * Two instances, each fanning out on one thread and attempting on two, over a stream
     * of changes of several sensors for webhooks with and without filters, while attempts
     * succeed, fail and are retried, or die at random. An attempt is logged after its
     * claim and before its result is recorded, so if event n+1 were claimed while n was
     * still pending, n's last attempt would be logged after n+1's first.
     */
    @Test
    void attemptsOfEachWebhookAndSensorFollowTheSequenceAndNoneIsLeftWaiting() throws Exception {
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sensors.add(this.data.sensor("race-" + i));
        }
        this.data.webhook("http://a.example/all", TestData.secret());
        this.data.webhook("http://a.example/critical", TestData.secret(), null, List.of("CRITICAL", "WARNING"));
        this.data.webhook("http://b.example/some", TestData.secret(), sensors.subList(0, 2), null);
        Queue<UUID> attempts = new ConcurrentLinkedQueue<>();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Worker> workers = new ArrayList<>();
        for (String instance : List.of("instance-a", "instance-b")) {
            FanOut fanOut = new FanOut(this.schema.jdbc(), this.schema.transactions());
            DeliveryRecords records = new DeliveryRecords(this.schema.jdbc(), this.schema.transactions());
            workers.add(new Worker(instance + "-fan-out", errors, () -> fanOut.fanOut(4).events() > 0));
            for (int i = 1; i <= 2; i++) {
                workers.add(new Worker(instance + "-sender-" + i, errors, () -> attempt(records, instance, attempts)));
            }
        }
        try {
            Status[] statuses = { Status.OK, Status.WARNING, Status.CRITICAL };
            for (int i = 0; i < 40; i++) {
                for (String sensor : sensors) {
                    this.data.change(sensor, statuses[Math.floorMod(i + sensor.hashCode(), 3)], (double) i);
                }
            }

            await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(unfinished()).as("deliveries not finished").isEmpty());
        }
        finally {
            workers.forEach(Worker::stop);
        }

        assertThat(errors).as("errors of the instances").isEmpty();
        Map<UUID, Delivery> deliveries = deliveries();
        assertThat(deliveries).hasSizeGreaterThan(150);
        assertThat(attempts).containsAll(deliveries.keySet());
        Map<String, List<Long>> attempted = attempts.stream()
            .map(deliveries::get)
            .collect(Collectors.groupingBy(Delivery::key, Collectors.mapping(Delivery::sequence, Collectors.toList())));
        assertThat(attempted).hasSize(3 * 4 - 2)
            .allSatisfy((key, sequences) -> assertThat(sequences).as("sequences attempted for %s", key).isSorted());
    }

    /**
     * The race the advisory lock closes: a fan-out inserts event 2 as waiting, because 1
     * is pending, and commits only after the success of 1 was recorded. Recording must
     * then still make 2 claimable, or 2 would wait forever.
     */
    @Test
    void aDeliveryFannedOutWhileTheOneBeforeItIsRecordedDoesNotWaitForever() throws Exception {
        String sensor = this.data.sensor("race-lock");
        this.data.webhook("http://a.example/hook", TestData.secret());
        FanOut fanOut = new FanOut(this.schema.jdbc(), this.schema.transactions());
        DeliveryRecords records = new DeliveryRecords(this.schema.jdbc(), this.schema.transactions());
        this.data.change(sensor, Status.CRITICAL, 1.0);
        fanOut.fanOut(10);
        ClaimedDelivery first = single(records.claim("instance-a", 10, LEASE, Map.of(), 10));
        this.data.change(sensor, Status.OK, 2.0);

        CountDownLatch fannedOut = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> slowFanOut = CompletableFuture
            .runAsync(() -> this.schema.transactions().executeWithoutResult(tx -> {
                assertThat(fanOut.fanOut(10).deliveries()).isEqualTo(1);
                fannedOut.countDown();
                awaitQuietly(commit);
            }));
        CompletableFuture<Integer> recorded;
        try {
            assertThat(fannedOut.await(60, TimeUnit.SECONDS)).isTrue();
            recorded = CompletableFuture
                .supplyAsync(() -> records.record("instance-a", List.of(succeeded(first)), DISABLE_AFTER));
            await().atMost(Duration.ofSeconds(60)).until(() -> this.schema.waitingForALock() || recorded.isDone());
        }
        finally {
            commit.countDown();
        }
        slowFanOut.get(60, TimeUnit.SECONDS);
        assertThat(recorded.get(60, TimeUnit.SECONDS)).isEqualTo(1);

        assertThat(records.claim("instance-a", 10, LEASE, Map.of(), 10)).extracting(ClaimedDelivery::sensorId)
            .as("event 2, claimable")
            .containsExactly(sensor);
    }

    /**
     * A delivery made pending again is not waiting, nor is the later one that was next
     * when it finished: the claim's own check keeps the older one first.
     */
    @Test
    void aRevivedOlderDeliveryGoesBeforeTheLaterPendingOne() {
        String sensor = this.data.sensor("revived");
        this.data.webhook("http://a.example/hook", TestData.secret());
        FanOut fanOut = new FanOut(this.schema.jdbc(), this.schema.transactions());
        DeliveryRecords records = new DeliveryRecords(this.schema.jdbc(), this.schema.transactions());
        this.data.changes(sensor, 3);
        fanOut.fanOut(10);
        ClaimedDelivery first = single(records.claim("instance-a", 10, LEASE, Map.of(), 10));
        records.record("instance-a", List.of(succeeded(first)), DISABLE_AFTER);
        ClaimedDelivery second = single(records.claim("instance-a", 10, LEASE, Map.of(), 10));
        records.record("instance-a", List.of(succeeded(second)), DISABLE_AFTER);

        this.schema.jdbc()
            .sql("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now() WHERE id = ?")
            .param(first.id())
            .update();

        assertThat(waitingFlags(sensor)).containsExactly(false, false);
        ClaimedDelivery again = single(records.claim("instance-a", 10, LEASE, Map.of(), 10));
        assertThat(again.id()).isEqualTo(first.id());
        records.record("instance-a", List.of(succeeded(again)), DISABLE_AFTER);
        ClaimedDelivery third = single(records.claim("instance-a", 10, LEASE, Map.of(), 10));
        assertThat(third.id()).isNotIn(first.id(), second.id());
    }

    /**
     * One round of an instance's sender: claims, logs each attempt, judges it at random
     * (success, a retry due at once, or death, at the latest on the third attempt) and
     * records the results.
     */
    private static boolean attempt(DeliveryRecords records, String instance, Queue<UUID> attempts) {
        List<ClaimedDelivery> claimed = records.claim(instance, 3, LEASE, Map.of(), 1000);
        List<Outcome> outcomes = new ArrayList<>();
        for (ClaimedDelivery delivery : claimed) {
            attempts.add(delivery.id());
            int dice = ThreadLocalRandom.current().nextInt(100);
            if (dice < 60) {
                outcomes.add(succeeded(delivery));
            }
            else {
                AttemptResult failure = new AttemptResult(Instant.now(), 500, 1, "HTTP 500", null, "");
                Verdict verdict = (dice < 70 || delivery.attempt() >= 3) ? new Verdict(DeliveryState.DEAD, null, false)
                        : new Verdict(DeliveryState.PENDING, Instant.now(), false);
                outcomes.add(new Outcome(delivery, failure, verdict));
            }
        }
        records.record(instance, outcomes, DISABLE_AFTER);
        return !claimed.isEmpty();
    }

    private static Outcome succeeded(ClaimedDelivery delivery) {
        return new Outcome(delivery, new AttemptResult(Instant.now(), 204, 1, null, null, ""),
                new Verdict(DeliveryState.SUCCEEDED, null, false));
    }

    private static ClaimedDelivery single(List<ClaimedDelivery> claimed) {
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    /** Outbox rows and pending deliveries, waiting or not. */
    private List<String> unfinished() {
        return this.schema.jdbc().sql("""
                SELECT 'outbox ' || sensor_id || ' ' || sequence FROM status_change_outbox
                UNION ALL
                SELECT 'delivery ' || sensor_id || ' ' || sequence || CASE WHEN waiting THEN ' waiting' ELSE '' END
                FROM webhook_deliveries WHERE state = 'pending'""").query(String.class).list();
    }

    private Map<UUID, Delivery> deliveries() {
        return this.schema.jdbc()
            .sql("SELECT id, webhook_id, sensor_id, sequence FROM webhook_deliveries")
            .query((rows, n) -> new Delivery(rows.getObject("id", UUID.class),
                    rows.getObject("webhook_id", UUID.class) + " " + rows.getString("sensor_id"),
                    rows.getLong("sequence")))
            .list()
            .stream()
            .collect(Collectors.toMap(Delivery::id, delivery -> delivery));
    }

    private List<Boolean> waitingFlags(String sensor) {
        return this.schema.jdbc()
            .sql("SELECT waiting FROM webhook_deliveries WHERE sensor_id = ? AND state = 'pending' ORDER BY sequence")
            .param(sensor)
            .query(Boolean.class)
            .list();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private record Delivery(UUID id, String key, long sequence) {
    }

    /**
     * A thread that runs a round after round until stopped, pausing briefly after a round
     * with nothing to do, and keeps what goes wrong.
     */
    private static final class Worker {

        private final Thread thread;

        private volatile boolean running = true;

        Worker(String name, Queue<Throwable> errors, Round round) {
            this.thread = Threads.start(name, () -> {
                while (this.running) {
                    try {
                        if (!round.run()) {
                            Thread.sleep(2);
                        }
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                    catch (RuntimeException ex) {
                        errors.add(ex);
                    }
                }
            });
        }

        void stop() {
            this.running = false;
            try {
                this.thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

    }

    @FunctionalInterface
    private interface Round {

        /** One round; whether it found work. */
        boolean run() throws InterruptedException;

    }

}
