package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimedHostResolverTest {

    @Test
    void aLookupThatNeverAnswersFailsAtTheTimeoutAndIsSharedByLaterCallers() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        TimedHostResolver resolver = new TimedHostResolver(host -> {
            lookups.incrementAndGet();
            awaitQuietly(answer);
            return new InetAddress[] { InetAddress.getLoopbackAddress() };
        }, Duration.ofMillis(100), 4);
        try {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> resolver.resolve("hang.test")).isInstanceOf(UnknownHostException.class)
                    .hasMessage("hang.test took longer than 100 ms");
            }
            assertThat(lookups).hasValue(1);
        }
        finally {
            answer.countDown();
        }
    }

    @Test
    void answersAndFailuresOfTheResolverArePassedOn() throws Exception {
        TimedHostResolver resolver = new TimedHostResolver(host -> {
            if (host.equals("ok.test")) {
                return new InetAddress[] { InetAddress.getLoopbackAddress() };
            }
            throw new UnknownHostException(host);
        }, Duration.ofSeconds(30), 4);

        assertThat(resolver.resolve("ok.test")).containsExactly(InetAddress.getLoopbackAddress());
        assertThatThrownBy(() -> resolver.resolve("nowhere.test")).isInstanceOf(UnknownHostException.class)
            .hasMessage("nowhere.test");
    }

    @Test
    void moreNamesThanLookupThreadsFailAtOnceInsteadOfQueueing() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        TimedHostResolver resolver = new TimedHostResolver(host -> {
            awaitQuietly(answer);
            return new InetAddress[] { InetAddress.getLoopbackAddress() };
        }, Duration.ofMillis(100), 1);
        try {
            assertThatThrownBy(() -> resolver.resolve("first.test")).hasMessageContaining("took longer");
            assertThatThrownBy(() -> resolver.resolve("second.test"))
                .hasMessage("second.test: not looked up, too many lookups in progress");
        }
        finally {
            answer.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
