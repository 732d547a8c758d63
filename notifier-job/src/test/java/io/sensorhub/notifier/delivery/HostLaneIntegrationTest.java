package io.sensorhub.notifier.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.addresses.HostResolver;
import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.addresses.GuardedDnsResolver;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import io.sensorhub.notifier.support.TestData;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The senders of a host: an attempt that throws (here the HTTP client itself, with a
 * RuntimeException and with an Error) frees its place in flight, its host's share and its
 * sender, so the host's other deliveries still go out, and the delivery is made again
 * once its lease lapses; a host with nothing claimed keeps no lane.
 */
@SpringBootTest(
        properties = { "sensorhub.webhooks.allow-private-networks=true", "sensorhub.webhooks.retry-schedule=10m",
                "sensorhub.webhooks.timeout=2s", "sensorhub.webhooks.lease=5s", "sensorhub.webhooks.poll-interval=1s",
                "sensorhub.webhooks.max-concurrency=4", "sensorhub.webhooks.max-concurrency-per-host=2",
                "sensorhub.watchdog.enabled=false", "sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY })
@Import({ TestData.class, HostLaneIntegrationTest.BreakingClient.class })
class HostLaneIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** How many more attempts to {@code /breaks} throw. */
    private static final AtomicInteger BREAKS = new AtomicInteger();

    private static final AtomicInteger BROKEN = new AtomicInteger();

    @Autowired
    private DeliveryLoop loop;

    @Autowired
    private DeliveryProperties properties;

    @Autowired
    private MeterRegistry registry;

    @Test
    void attemptsThatThrowFreeTheirPlaceAndTheirHostIsStillDelivered() {
        // As many as the host may have claimed: leaked, they would stop its lane and its
        // claims for good.
        int share = this.properties.maxConcurrencyPerHost() * DeliveryLoop.PREFETCH;
        BREAKS.set(share);
        BROKEN.set(0);
        List<String> sensors = new ArrayList<>();
        for (int i = 1; i <= share; i++) {
            sensors.add(this.data.sensor("lane-breaks-" + i));
        }
        String okSensor = this.data.sensor("lane-ok");
        this.data.webhook(this.receiver.url("/breaks"), this.secret, sensors, null);
        this.data.webhook(this.receiver.url("/ok"), this.secret, List.of(okSensor), null);

        sensors.forEach((sensor) -> this.data.change(sensor, Status.CRITICAL, 1.0));
        // Enough to end every sender of the host.
        int senders = this.properties.maxConcurrencyPerHost();
        waiting().until(() -> BROKEN.get() >= senders);
        StatusChange ok = this.data.change(okSensor, Status.CRITICAL, 1.0);

        waiting().until(() -> this.receiver.requestsTo("/ok").size() == 1);
        assertThat(this.receiver.requestsTo("/ok").get(0).eventId()).isEqualTo(ok.eventId().toString());
        // Nothing was recorded of the broken attempts: each is made again when its lease
        // lapses.
        waiting().until(() -> this.receiver.requestsTo("/breaks").size() == share);
        assertThat(BROKEN.get()).isEqualTo(share);
        waiting().untilAsserted(
                () -> assertThat(this.registry.get("sensorhub.webhooks.in.flight").gauge().value()).isZero());
    }

    /**
     * Waits ignoring the Errors thrown on the workers: they end their threads, as they
     * should, and are not the test's failure.
     */
    private static ConditionFactory waiting() {
        return await().dontCatchUncaughtExceptions().atMost(WAIT);
    }

    @Test
    void aHostWithNothingClaimedKeepsNoLane() {
        String sensor = this.data.sensor("lane-many");
        int hosts = 40;
        for (int i = 1; i <= hosts; i++) {
            this.data.webhook("http://h" + i + ".test:" + this.receiver.port() + "/many", this.secret, List.of(sensor),
                    null);
        }

        this.data.change(sensor, Status.CRITICAL, 1.0);

        waiting().until(() -> this.receiver.requestsTo("/many").size() == hosts);
        waiting().until(() -> this.loop.hostLanes() == 0);
    }

    /**
     * A client whose attempts to {@code /breaks} throw while {@link #BREAKS} lasts, by
     * turns a RuntimeException and an Error; {@code *.test} is this machine (no real DNS
     * lookups in tests).
     */
    @TestConfiguration
    static class BreakingClient {

        @Bean
        HostResolver hostResolver() {
            return (host) -> {
                if (host.endsWith(".test")) {
                    return new InetAddress[] { InetAddress.getLoopbackAddress() };
                }
                if (host.matches("[0-9.]+")) {
                    return new InetAddress[] { InetAddress.getByName(host) };
                }
                throw new UnknownHostException(host);
            };
        }

        @Bean
        @Primary
        WebhookClient breakingWebhookClient(DeliveryProperties properties, HostResolver resolver, SecretCipher cipher) {
            return new WebhookClient(properties, new GuardedDnsResolver(resolver, true), "test", cipher) {
                @Override
                public AttemptResult post(ClaimedDelivery delivery) {
                    if (delivery.url().endsWith("/breaks") && BREAKS.getAndDecrement() > 0) {
                        if (BROKEN.incrementAndGet() % 2 == 0) {
                            throw new Error("test: the HTTP client broke");
                        }
                        throw new IllegalStateException("test: the HTTP client failed");
                    }
                    return super.post(delivery);
                }
            };
        }

    }

}
