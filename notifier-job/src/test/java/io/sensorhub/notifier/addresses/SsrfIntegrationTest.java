package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.common.addresses.HostResolver;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With private networks not allowed (the default), names resolving to loopback, private,
 * link-local and IPv6 loopback addresses are refused when connecting, and the refusal is
 * the attempt's error. A stand-in resolver answers the names; the refusal happens before
 * any connection, so nothing is ever sent to those addresses.
 */
@SpringBootTest(properties = { "sensorhub.webhooks.retry-schedule=10m", "sensorhub.webhooks.timeout=2s",
        "sensorhub.webhooks.lease=5s", "sensorhub.webhooks.poll-interval=1s" })
@Import(TestData.class)
class SsrfIntegrationTest extends ReceiverTestSupport {

    @Test
    void hostsResolvingToNonPublicAddressesAreRefusedAtConnectTime() {
        String sensor = this.data.sensor("ssrf-1");
        int port = this.receiver.port();
        Map<String, UUID> webhooks = new java.util.LinkedHashMap<>();
        for (String url : List.of("http://loopback.test:" + port + "/", "http://127.0.0.1:" + port + "/",
                "http://internal.test:" + port + "/", "http://metadata.test/latest/meta-data/",
                "http://v6loopback.test:" + port + "/", "http://[::1]:" + port + "/")) {
            webhooks.put(url, this.data.webhook(url, TestData.secret()));
        }
        StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

        webhooks.forEach((url, webhook) -> await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(this.data.attempts(webhook, change.eventId())).as(url)
                .singleElement()
                .satisfies(attempt -> {
                    assertThat(attempt.get("status_code")).isNull();
                    assertThat((String) attempt.get("error")).startsWith("refused: ").contains("non-public address");
                })));
        assertThat(this.receiver.requests()).isEmpty();
    }

    /**
     * Answers the test names; anything else is unknown (no real DNS lookups in tests).
     */
    @TestConfiguration
    static class StandInResolver {

        private static final Map<String, String> NAMES = Map.of("loopback.test", "127.0.0.1", "internal.test",
                "10.0.0.7", "metadata.test", "169.254.169.254", "v6loopback.test", "::1");

        @Bean
        HostResolver hostResolver() {
            return host -> {
                String address = NAMES.getOrDefault(host, host.matches("[0-9.:]+") ? host : null);
                if (address == null) {
                    throw new UnknownHostException(host);
                }
                return new InetAddress[] { InetAddress.getByName(address) };
            };
        }

    }

}
