package io.sensorhub.notifier.fanout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorhub.notifier.wakeup.Wakeup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the fan-out loop does once a batch created deliveries, whatever the database: a
 * fan-out that answers one batch with deliveries, then nothing.
 */
class FanOutLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Wakeup wakeup = new Wakeup();

    @Test
    void deliveriesJustCreatedAreClaimedAtOnceWithoutWakingTheDeliveryLoop() throws InterruptedException {
        AtomicInteger claims = new AtomicInteger();
        FanOutLoop loop = loop(claims::incrementAndGet);
        loop.start();
        try {
            await().atMost(WAIT).until(() -> claims.get() == 1);
            assertThat(this.wakeup.await(Duration.ZERO)).isFalse();
        }
        finally {
            loop.stop();
        }
    }

    @Test
    void aClaimThatFailsWakesTheDeliveryLoopToMakeIt() throws InterruptedException {
        FanOutLoop loop = loop(() -> {
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

    private FanOutLoop loop(Runnable claim) {
        return new FanOutLoop(new OneBatch(), this.wakeup, claim, 10, Duration.ofMinutes(10),
                new SimpleMeterRegistry());
    }

    /** A fan-out that takes one batch of changes, then finds the outbox empty. */
    private static final class OneBatch extends FanOut {

        private final AtomicInteger calls = new AtomicInteger();

        OneBatch() {
            super(null, null);
        }

        @Override
        public Result fanOut(int limit) {
            return (this.calls.getAndIncrement() == 0) ? new Result(3, 3) : new Result(0, 0);
        }

    }

}
