package io.sensorhub.crud.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.ServiceBusyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DeadlineResolverTest {

    private static final InetAddress PUBLIC = address();

    private final CountDownLatch answer = new CountDownLatch(1);

    private final AtomicInteger started = new AtomicInteger();

    private final WebhookUrlPolicy.Resolver hanging = host -> {
        this.started.incrementAndGet();
        try {
            this.answer.await();
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
    void aHostThatDoesNotAnswerWithinTheDeadlineIsInvalid() {
        DeadlineResolver resolver = resolver(this.hanging, Duration.ofMillis(100), 2);
        assertThatThrownBy(() -> resolver.resolve("slow.example")).isInstanceOfSatisfying(InvalidInputException.class,
                ex -> {
                    assertThat(ex.violations()).singleElement().satisfies(violation -> {
                        assertThat(violation.field()).isEqualTo("url");
                        assertThat(violation.message()).contains("did not resolve within 100 ms");
                    });
                });
    }

    @Test
    void whenEverySlotWaitsOnDnsTheNextLookupIsRefusedAtOnceUntilOneEnds() throws Exception {
        DeadlineResolver resolver = resolver(this.hanging, Duration.ofMinutes(5), 1);
        CompletableFuture<InetAddress[]> first = CompletableFuture.supplyAsync(() -> {
            try {
                return resolver.resolve("slow.example");
            }
            catch (UnknownHostException ex) {
                throw new IllegalStateException(ex);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> this.started.get() == 1);
        assertThatThrownBy(() -> resolver.resolve("other.example")).isInstanceOf(ServiceBusyException.class);
        this.answer.countDown();
        assertThat(first.get()).containsExactly(PUBLIC);
        await().atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(ServiceBusyException.class)
            .untilAsserted(() -> assertThat(resolver.resolve("x")).containsExactly(PUBLIC));
    }

    @Test
    void anUnknownHostStaysUnknown() {
        DeadlineResolver resolver = resolver(host -> {
            throw new UnknownHostException(host);
        }, Duration.ofSeconds(30), 1);
        assertThatThrownBy(() -> resolver.resolve("nowhere.example")).isInstanceOf(UnknownHostException.class);
    }

    private static DeadlineResolver resolver(WebhookUrlPolicy.Resolver delegate, Duration timeout, int slots) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("resolver", delegate);
        return new DeadlineResolver(new WebhookUrlProperties(false, timeout, slots),
                beans.getBeanProvider(WebhookUrlPolicy.Resolver.class));
    }

    private static InetAddress address() {
        try {
            return InetAddress.getByAddress(new byte[] { 8, 8, 8, 8 });
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
