package io.sensorhub.notifier.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two notifier-job instances fanning out one backlog larger than their batch: while one
 * has fanned out the first batch and not yet committed, the other must not fan out (and
 * so deliver) later sequences of the same sensors.
 */
@NotifierIntegrationTest
class FanOutOrderIntegrationTest extends ReceiverTestSupport {

    private static final int BATCH = 10;

    private static final int CHANGES_PER_SENSOR = 12;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private FanOutLoop fanOutLoop;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void twoInstancesKeepEveryWebhookAndSensorInSequenceOrderWhateverTheBacklog() throws Exception {
        this.fanOutLoop.stop(); // the backlog is fanned out by the two instances below
        try {
            List<String> sensors = List.of(this.data.sensor("fan-order-1"), this.data.sensor("fan-order-2"));
            this.data.webhook(this.receiver.url("/a"), this.secret);
            this.data.webhook(this.receiver.url("/b"), this.secret);
            for (int i = 0; i < CHANGES_PER_SENSOR; i++) {
                for (String sensor : sensors) {
                    this.data.change(sensor, (i % 2 == 0) ? Status.CRITICAL : Status.OK, (double) i);
                }
            }
            assertThat(outboxRows(sensors)).isEqualTo(2 * CHANGES_PER_SENSOR);

            fanOutWhileAnotherInstanceHoldsTheFirstBatch();
        }
        finally {
            this.fanOutLoop.start(); // fans out whatever the two left
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> this.receiver.requests().size() == 4 * CHANGES_PER_SENSOR);
        Map<String, List<Long>> sequences = new LinkedHashMap<>();
        for (Receiver.Request request : this.receiver.requests()) {
            JsonNode data = JSON.readTree(request.body()).get("data");
            sequences.computeIfAbsent(request.path() + " " + data.get("sensorId").asString(), key -> new ArrayList<>())
                .add(data.get("sequence").asLong());
        }
        assertThat(sequences).hasSize(4)
            .allSatisfy((key, arrived) -> assertThat(arrived).as(key)
                .isSorted()
                .hasSize(CHANGES_PER_SENSOR)
                .doesNotHaveDuplicates());
    }

    /**
     * The first instance fans out one batch and holds its transaction open; meanwhile the
     * second fans out, and the delivery loop gets a few seconds to send whatever the
     * second made claimable; then the first commits.
     */
    private void fanOutWhileAnotherInstanceHoldsTheFirstBatch() throws Exception {
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
        FanOut first = new FanOut(JdbcClient.create(this.dataSource), transactions);
        FanOut second = new FanOut(JdbcClient.create(this.dataSource), transactions);
        CountDownLatch fannedOut = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<FanOut.Result> slow = CompletableFuture.supplyAsync(() -> transactions.execute(tx -> {
            FanOut.Result result = first.fanOut(BATCH);
            fannedOut.countDown();
            awaitQuietly(commit);
            return result;
        }));
        try {
            assertThat(fannedOut.await(30, TimeUnit.SECONDS)).isTrue();
            second.fanOut(BATCH);
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> !this.receiver.requests().isEmpty());
            }
            catch (ConditionTimeoutException ex) {
                // nothing claimable yet: what the order asks for while the first batch is
                // not committed
            }
        }
        finally {
            commit.countDown();
        }
        assertThat(slow.get(30, TimeUnit.SECONDS).events()).isEqualTo(BATCH);
    }

    private int outboxRows(List<String> sensors) {
        return this.jdbc.sql("SELECT count(*) FROM status_change_outbox WHERE sensor_id = ANY (?::text[])")
            .param("{" + String.join(",", sensors) + "}")
            .query(Integer.class)
            .single();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
