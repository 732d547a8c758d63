package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receiver that holds every request does not hold up other hosts: it gets at most its
 * host's share of the workers. Decided by cause, not by a time margin: the slow receiver
 * answers nothing until the test lets it, and attempts time out only after a minute, so
 * every fast delivery must arrive while all the slow attempts are still open. Without the
 * per-host limit the slow host would take all eight workers and the fast deliveries would
 * wait for that minute.
 */
@NotifierIntegrationTest(properties = { "sensorhub.webhooks.allow-private-networks=true",
        "sensorhub.webhooks.retry-schedule=300ms", "sensorhub.webhooks.jitter=0", "sensorhub.webhooks.timeout=60s",
        "sensorhub.webhooks.lease=150s", "sensorhub.webhooks.poll-interval=1s", "sensorhub.webhooks.max-concurrency=8",
        "sensorhub.webhooks.max-concurrency-per-host=4", "sensorhub.webhooks.disable-after=1h",
        "sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY })
class SlowEndpointIntegrationTest extends ReceiverTestSupport {

    private static final int SENSORS = 30;

    @Test
    void aReceiverThatHoldsItsRequestsGetsOnlyItsHostsShareOfTheWorkers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Receiver slow = new Receiver()) {
            slow.answering(request -> exchange -> {
                try {
                    release.await(2, TimeUnit.MINUTES);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                exchange.sendResponseHeaders(204, -1);
            });
            UUID slowWebhook = this.data.webhook(slow.url(), this.secret);
            UUID fastWebhook = this.data.webhook(this.receiver.url("/fast"), this.secret);
            IntStream.range(0, SENSORS)
                .mapToObj(i -> this.data.sensor("slow-" + i))
                .forEach(sensor -> this.data.change(sensor, Status.CRITICAL, 1.0));

            await().atMost(Duration.ofSeconds(45)).until(() -> this.receiver.requestsTo("/fast").size() == SENSORS);
            assertThat(slow.requests()).as("attempts open at the slow receiver: its host's share").hasSize(4);
            assertThat(this.data.deliveries(slowWebhook)).as("no slow attempt has ended")
                .allSatisfy(d -> assertThat(d.get("state")).isEqualTo("pending"))
                .allSatisfy(d -> assertThat(d.get("attempt_count")).isEqualTo(0));

            release.countDown();
            await().atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> assertThat(this.data.deliveries(slowWebhook)).hasSize(SENSORS)
                    .allSatisfy(d -> assertThat(d.get("state")).isEqualTo("succeeded")));
            assertThat(this.data.deliveries(fastWebhook)).hasSize(SENSORS)
                .allSatisfy(d -> assertThat(d.get("state")).isEqualTo("succeeded"));
            slow.assertAllSignedWith(this.secret);
        }
    }

}
