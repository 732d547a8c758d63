package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sensorhub.common.addresses.HostResolver;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A DNS lookup that never answers is one failed attempt within the attempt's timeout, and
 * it does not hold up delivery to other hosts, even when it could take every worker (two
 * here) for as long as it hangs.
 */
@SpringBootTest(
        properties = { "sensorhub.webhooks.allow-private-networks=true", "sensorhub.webhooks.retry-schedule=10m",
                "sensorhub.webhooks.timeout=2s", "sensorhub.webhooks.lease=5s", "sensorhub.webhooks.poll-interval=1s",
                "sensorhub.webhooks.max-concurrency=2", "sensorhub.webhooks.max-concurrency-per-host=2",
                "sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY })
@Import(TestData.class)
class DnsDeadlineIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * Released when the test class is done: until then every lookup of hang.test hangs.
     */
    private static final CountDownLatch DNS_ANSWERS = new CountDownLatch(1);

    private static final AtomicInteger HANGING_LOOKUPS = new AtomicInteger();

    @AfterAll
    static void releaseTheResolver() {
        DNS_ANSWERS.countDown();
    }

    @Test
    void aLookupThatNeverAnswersIsAFailedAttemptAndOtherHostsAreStillDelivered() {
        String hangingSensor = this.data.sensor("dns-hang");
        String otherSensor = this.data.sensor("dns-ok");
        int port = this.receiver.port();
        UUID first = this.data.webhook("http://hang.test:" + port + "/1", this.secret, List.of(hangingSensor), null);
        UUID second = this.data.webhook("http://hang.test:" + port + "/2", this.secret, List.of(hangingSensor), null);
        this.data.webhook("http://ok.test:" + port + "/ok", this.secret, List.of(otherSensor), null);

        StatusChange hanging = this.data.change(hangingSensor, Status.CRITICAL, 1.0);
        await().atMost(WAIT).until(() -> HANGING_LOOKUPS.get() > 0);
        StatusChange other = this.data.change(otherSensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT).until(() -> this.receiver.requestsTo("/ok").size() == 1);
        assertThat(this.receiver.requestsTo("/ok").get(0).eventId()).isEqualTo(other.eventId().toString());
        for (UUID webhook : List.of(first, second)) {
            await().atMost(WAIT)
                .untilAsserted(() -> assertThat(this.data.attempts(webhook, hanging.eventId())).singleElement()
                    .satisfies(attempt -> {
                        assertThat(attempt.get("status_code")).isNull();
                        assertThat((String) attempt.get("error"))
                            .isEqualTo("DNS lookup failed: hang.test took longer than 2000 ms");
                    }));
        }
        assertThat(DNS_ANSWERS.getCount()).as("the lookup still hangs").isEqualTo(1);
        assertThat(this.receiver.requestsTo("/1")).isEmpty();
    }

    /**
     * ok.test is this machine; hang.test never answers (until the class is done);
     * anything else is unknown.
     */
    @TestConfiguration
    static class HangingResolver {

        @Bean
        HostResolver hostResolver() {
            return host -> {
                if (host.equals("hang.test")) {
                    HANGING_LOOKUPS.incrementAndGet();
                    awaitQuietly();
                    throw new UnknownHostException(host);
                }
                if (host.equals("ok.test")) {
                    return new InetAddress[] { InetAddress.getLoopbackAddress() };
                }
                throw new UnknownHostException(host);
            };
        }

        private static void awaitQuietly() {
            try {
                DNS_ANSWERS.await(5, TimeUnit.MINUTES);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

    }

}
