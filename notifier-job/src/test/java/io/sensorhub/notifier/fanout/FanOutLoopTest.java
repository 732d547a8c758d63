package io.sensorhub.notifier.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorhub.notifier.wakeup.Wakeup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the fan-out loop does once a batch created deliveries, whatever the database: a
 * fan-out that answers one batch, then nothing.
 */
class FanOutLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Wakeup wakeup = new Wakeup();

    private final AtomicInteger claims = new AtomicInteger();

    @Test
    void deliveriesReadyToBeAttemptedAreClaimedAtOnceWithoutWakingTheDeliveryLoop() throws InterruptedException {
        FanOutLoop loop = loop(new OneBatch(new FanOut.Result(3, 3, 2, 0, 0, 0, false)), this.claims::incrementAndGet);
        loop.start();
        try {
            await().atMost(WAIT).until(() -> this.claims.get() == 1);
            assertThat(this.wakeup.await(Duration.ZERO)).isFalse();
        }
        finally {
            loop.stop();
        }
    }

    @Test
    void deliveriesWaitingForEarlierOnesAreLeftToTheDeliveryLoop() {
        OneBatch fanOut = new OneBatch(new FanOut.Result(3, 3, 0, 0, 0, 0, true));
        FanOutLoop loop = loop(fanOut, this.claims::incrementAndGet);
        loop.start();
        try {
            // a full batch, then one that finds nothing left
            await().atMost(WAIT).until(() -> fanOut.calls.get() >= 2);
            assertThat(this.claims).hasValue(0);
        }
        finally {
            loop.stop();
        }
    }

    @Test
    void aClaimThatFailsWakesTheDeliveryLoopToMakeIt() throws InterruptedException {
        FanOutLoop loop = loop(new OneBatch(new FanOut.Result(3, 3, 3, 0, 0, 0, false)), () -> {
            throw new IllegalStateException("the database went away");
        });
        loop.start();
        try {
            assertThat(this.wakeup.await(WAIT)).isTrue();
            assertThat(this.wakeup.takeAnnounced()).isTrue();
        }
        finally {
            loop.stop();
        }
    }

    /**
     * Events whose sensor another transaction held (the bookkeeping of one of its
     * deliveries) get no NOTIFY of their own: the loop looks again shortly, not after the
     * ten-minute poll.
     */
    @Test
    void eventsLeftBecauseTheirSensorWasHeldAreFannedOutWithoutAWakeUp() {
        OneBatch fanOut = new OneBatch(new FanOut.Result(0, 0, 0, 0, 0, 1, false));
        FanOutLoop loop = loop(fanOut, this.claims::incrementAndGet);
        loop.start();
        try {
            await().atMost(WAIT).until(() -> fanOut.calls.get() >= 2);
        }
        finally {
            loop.stop();
        }
    }

    /**
     * A batch that took every event there was is not followed by a round that would only
     * find the outbox empty: the next round waits for a NOTIFY (here, the wake-up).
     */
    @Test
    void aBatchThatWasNotFullIsFollowedByTheNextWakeUpNotByAnotherRound() throws InterruptedException {
        AtomicBoolean raised = new AtomicBoolean();
        List<Boolean> raisedAtCall = new CopyOnWriteArrayList<>();
        FanOut fanOut = new FanOut(null, null) {
            @Override
            public Result fanOut(int limit) {
                raisedAtCall.add(raised.get());
                return (raisedAtCall.size() == 1) ? new Result(1, 1, 1, 0, 0, 0, false) : Result.NONE;
            }
        };
        FanOutLoop loop = loop(fanOut, this.claims::incrementAndGet);
        loop.start();
        try {
            await().atMost(WAIT).until(() -> this.claims.get() == 1);
            raised.set(true);
            this.wakeup.statusChanged();
            await().atMost(WAIT).until(() -> raisedAtCall.size() >= 2);
            assertThat(raisedAtCall).as("whether the wake-up came before each round").startsWith(false, true);
        }
        finally {
            loop.stop();
        }
    }

    /**
     * The changes' deliveries are claimed before the outbox of events about webhooks is
     * looked at: its transaction is not in the way of every change.
     */
    @Test
    void theChangesDeliveriesAreClaimedBeforeTheEventsAboutWebhooksAreFannedOut() {
        List<Integer> claimsAtWebhookFanOut = new CopyOnWriteArrayList<>();
        WebhookEventFanOut webhookEvents = new WebhookEventFanOut(null, null) {
            @Override
            public FanOut.Result fanOut(int limit) {
                claimsAtWebhookFanOut.add(FanOutLoopTest.this.claims.get());
                return FanOut.Result.NONE;
            }
        };
        FanOutLoop loop = new FanOutLoop(new OneBatch(new FanOut.Result(1, 1, 1, 0, 0, 0, false)), webhookEvents,
                this.wakeup, this.claims::incrementAndGet, 10, Duration.ofMinutes(10), new SimpleMeterRegistry());
        loop.start();
        try {
            await().atMost(WAIT).until(() -> !claimsAtWebhookFanOut.isEmpty());
            assertThat(claimsAtWebhookFanOut.get(0)).as("claims made when the webhook events' turn came").isEqualTo(1);
        }
        finally {
            loop.stop();
        }
    }

    private FanOutLoop loop(FanOut fanOut, Runnable claim) {
        return new FanOutLoop(fanOut, new NoWebhookEvents(), this.wakeup, claim, 10, Duration.ofMinutes(10),
                new SimpleMeterRegistry());
    }

    /** An outbox of events about webhooks that stays empty. */
    private static final class NoWebhookEvents extends WebhookEventFanOut {

        NoWebhookEvents() {
            super(null, null);
        }

        @Override
        public FanOut.Result fanOut(int limit) {
            return FanOut.Result.NONE;
        }

    }

    /** A fan-out that answers one batch, then finds the outbox empty. */
    private static final class OneBatch extends FanOut {

        private final FanOut.Result first;

        private final AtomicInteger calls = new AtomicInteger();

        OneBatch(FanOut.Result first) {
            super(null, null);
            this.first = first;
        }

        @Override
        public Result fanOut(int limit) {
            return (this.calls.getAndIncrement() == 0) ? this.first : Result.NONE;
        }

    }

}
