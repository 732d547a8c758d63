package io.sensorhub.crud.limits;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.sensorhub.crud.support.ApiIntegrationTest;
import io.sensorhub.crud.web.TooManyRequestsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Why racing requests cannot pass a limit together: a second request waits for the
 * first's transaction (it is seen waiting for a lock in PostgreSQL), then counts what the
 * first committed and is refused. Without the lock the second would not wait, and would
 * count without the first's uncommitted row.
 */
class LimitLocksIntegrationTest extends ApiIntegrationTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @Autowired
    private ClientLimits clientLimits;

    @Autowired
    private DeliveryRequestLimit requestLimit;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @AfterEach
    void stopExecutor() {
        this.executor.shutdownNow();
    }

    @Test
    void aSecondWebhookCreationWaitsForTheFirstAndCountsItsWebhook() throws Exception {
        UUID client = newClient().clientId;
        for (int i = 0; i < 19; i++) {
            insertWebhook(client);
        }

        assertSecondWaitsAndIsRefused("FROM clients", () -> {
            this.clientLimits.requireRoomForWebhook(client, () -> webhooks(client));
            insertWebhook(client);
        }, () -> this.clientLimits.requireRoomForWebhook(client, () -> webhooks(client)));
        assertThat(webhooks(client)).isEqualTo(20);
    }

    @Test
    void aSecondRequestToDeliverWaitsForTheFirstAndCountsItsPlace() throws Exception {
        UUID webhook = insertWebhook(newClient().clientId);
        TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
        for (int i = 0; i < 9; i++) {
            transactions.executeWithoutResult(status -> this.requestLimit.take(webhook));
        }

        assertSecondWaitsAndIsRefused("webhook_delivery_requests", () -> this.requestLimit.take(webhook),
                () -> this.requestLimit.take(webhook));
    }

    @Test
    void theSilencesLimitIsAHundredNotEndedPerClient() {
        UUID client = newClient().clientId;
        TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
        transactions.executeWithoutResult(status -> this.clientLimits.requireRoomForSilence(client, () -> 99));
        assertThatExceptionOfType(TooManyRequestsException.class)
            .isThrownBy(() -> transactions
                .executeWithoutResult(status -> this.clientLimits.requireRoomForSilence(client, () -> 100)))
            .withMessageContaining("100 silences");
    }

    @Test
    void aLimitOutsideATransactionIsAMistakeNotALimit() {
        UUID client = newClient().clientId;
        assertThatIllegalStateException().isThrownBy(() -> this.clientLimits.requireRoomForSilence(client, () -> 0));
        assertThatIllegalStateException().isThrownBy(() -> this.requestLimit.take(UUID.randomUUID()));
    }

    /**
     * Runs {@code first} in a transaction held open until {@code second}, in another
     * transaction, is seen waiting for a lock in a statement that mentions
     * {@code lockedIn}; then lets the first commit and expects the second refused.
     */
    private void assertSecondWaitsAndIsRefused(String lockedIn, Runnable first, Runnable second) throws Exception {
        TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
        CountDownLatch firstDone = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        Future<?> firstCommitted = this.executor.submit(() -> transactions.executeWithoutResult(status -> {
            first.run();
            firstDone.countDown();
            awaitQuietly(commitFirst);
        }));
        assertThat(firstDone.await(30, TimeUnit.SECONDS)).isTrue();
        Future<?> secondDone = this.executor.submit(() -> transactions.executeWithoutResult(status -> second.run()));

        await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(lockedIn));
        commitFirst.countDown();
        firstCommitted.get(30, TimeUnit.SECONDS);

        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
            .isThrownBy(() -> secondDone.get(30, TimeUnit.SECONDS))
            .withCauseInstanceOf(TooManyRequestsException.class);
    }

    private boolean waitingForALock(String lockedIn) {
        return this.jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || ? || '%'""")
            .param(lockedIn)
            .query(Long.class)
            .single() > 0;
    }

    private UUID insertWebhook(UUID client) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("INSERT INTO webhooks (id, client_id, url, secret) VALUES (?, ?, ?, 'whsec_unused')")
            .params(id, client, LimitsApiIntegrationTest.URL)
            .update();
        return id;
    }

    private long webhooks(UUID client) {
        return this.jdbc.sql("SELECT count(*) FROM webhooks WHERE client_id = ?")
            .param(client)
            .query(Long.class)
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
