package io.sensorhub.common.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DeadlineResolverTest {

    private static final InetAddress PUBLIC = address(8, 8, 8, 8);

    private final CountDownLatch answer = new CountDownLatch(1);

    private final AtomicInteger started = new AtomicInteger();

    /** Answers {@link #PUBLIC} once {@link #answer} is counted down. */
    private final HostResolver hanging = (host) -> {
        this.started.incrementAndGet();
        try {
            this.answer.await(5, TimeUnit.MINUTES);
        }
        catch (InterruptedException ex) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] { PUBLIC };
    };

    @AfterEach
    void answer() {
        this.answer.countDown();
    }

    @Test
    void aLookupThatDoesNotAnswerFailsAtTheDeadlineAndIsSharedByLaterCallers() {
        try (DeadlineResolver resolver = new DeadlineResolver(this.hanging, Duration.ofMillis(100), 4)) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> resolver.resolve("hang.test"))
                    .isInstanceOfSatisfying(ResolutionTimeoutException.class,
                            (ex) -> assertThat(ex.timeout()).isEqualTo(Duration.ofMillis(100)))
                    .hasMessage("hang.test took longer than 100 ms");
            }
            assertThat(this.started).hasValue(1);
        }
    }

    @Test
    void answersAndFailuresOfTheResolverArePassedOnFromNamedDaemonThreads() throws Exception {
        AtomicReference<Thread> lookupThread = new AtomicReference<>();
        HostResolver stub = (host) -> {
            lookupThread.set(Thread.currentThread());
            return switch (host) {
                case "ok.test" -> new InetAddress[] { PUBLIC };
                case "broken.test" -> throw new SecurityException("not allowed");
                default -> throw new UnknownHostException(host);
            };
        };
        try (DeadlineResolver resolver = new DeadlineResolver(stub, Duration.ofSeconds(30), 4)) {
            assertThat(resolver.resolve("ok.test")).containsExactly(PUBLIC);
            assertThat(lookupThread.get().getName()).startsWith("dns-lookup-");
            assertThat(lookupThread.get().isDaemon()).isTrue();
            assertThatThrownBy(() -> resolver.resolve("nowhere.test")).isExactlyInstanceOf(UnknownHostException.class)
                .hasMessage("nowhere.test");
            assertThatThrownBy(() -> resolver.resolve("broken.test")).isExactlyInstanceOf(UnknownHostException.class)
                .hasMessageContaining("broken.test")
                .hasMessageContaining("not allowed");
        }
    }

    @Test
    void aLookupPastItsDeadlineKeepsItsThreadSoAnotherNameIsRefusedAtOnce() {
        try (DeadlineResolver resolver = new DeadlineResolver(this.hanging, Duration.ofMillis(100), 1)) {
            assertThatThrownBy(() -> resolver.resolve("first.test")).isInstanceOf(ResolutionTimeoutException.class);
            assertThatThrownBy(() -> resolver.resolve("second.test")).isInstanceOf(ResolverUnavailableException.class)
                .hasMessage("second.test: not looked up, too many lookups in progress");
            assertThat(this.started).hasValue(1);

            this.answer.countDown();
            await().atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ResolverUnavailableException.class)
                .untilAsserted(() -> assertThat(resolver.resolve("third.test")).containsExactly(PUBLIC));
        }
    }

    @Test
    void aLookupThreadIsFreeAgainByTheTimeItsAnswerArrives() throws Exception {
        try (DeadlineResolver resolver = new DeadlineResolver(this.hanging, Duration.ofMinutes(5), 1)) {
            CompletableFuture<InetAddress[]> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return resolver.resolve("slow.test");
                }
                catch (UnknownHostException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> this.started.get() == 1);
            assertThatThrownBy(() -> resolver.resolve("other.test")).isInstanceOf(ResolverUnavailableException.class);

            this.answer.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).containsExactly(PUBLIC);
            assertThat(resolver.resolve("other.test")).containsExactly(PUBLIC);
        }
    }

    @Test
    void aClosedResolverLooksNothingUp() {
        DeadlineResolver resolver = new DeadlineResolver(this.hanging, Duration.ofSeconds(30), 1);
        resolver.close();
        assertThatThrownBy(() -> resolver.resolve("late.test")).isInstanceOf(ResolverUnavailableException.class)
            .hasMessage("late.test: not looked up, the resolver is closed");
        assertThat(this.started).hasValue(0);
    }

    @Test
    void theDeadlineAndTheNumberOfLookupsMustBePositive() {
        assertThatThrownBy(() -> new DeadlineResolver(this.hanging, Duration.ZERO, 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeadlineResolver(this.hanging, Duration.ofSeconds(1), 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(raw);
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
