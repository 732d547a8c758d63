package io.sensorhub.common.concurrent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundLoopTest {

    @Test
    void aFailedTurnIsForgottenAndRetriedAndStopEndsTheLoop() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch thirdTurn = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        BackgroundLoop loop = new BackgroundLoop("test-loop", "Testing", Duration.ofMillis(10)) {

            @Override
            protected void turn() throws InterruptedException {
                int turn = turns.incrementAndGet();
                if (turn <= 2) {
                    throw new IllegalStateException("turn " + turn + " fails");
                }
                thirdTurn.countDown();
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(10));
                }
                finally {
                    ended.countDown();
                }
            }

            @Override
            protected void failed() {
                failures.incrementAndGet();
            }

        };
        loop.start();
        assertThat(thirdTurn.await(30, TimeUnit.SECONDS)).as("the loop went on after two failed turns").isTrue();
        assertThat(failures).hasValue(2);
        assertThat(loop.isRunning()).isTrue();

        loop.stop();
        assertThat(ended.await(30, TimeUnit.SECONDS)).as("stop interrupts the turn's wait").isTrue();
        assertThat(loop.isRunning()).isFalse();
        assertThat(turns).as("no turn after stop").hasValue(3);
    }

}
