package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.Receiver.Answer;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Order per (webhook, sensor), and independence of everything else. */
@NotifierIntegrationTest
class OrderingIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    private JdbcClient jdbc;

    @Test
    void eventNPlusOneWaitsForEventNWhileOtherSensorsAndWebhooksAreNotDelayed() {
        String sensor = this.data.sensor("order-a");
        String other = this.data.sensor("order-b");
        this.data.webhook(this.receiver.url("/first"), this.secret);
        this.data.webhook(this.receiver.url("/second"), this.secret);
        StatusChange n = this.data.change(sensor, Status.CRITICAL, 1.0);
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        this.receiver
            .answering(request -> (request.path().equals("/first") && request.eventId().equals(n.eventId().toString())
                    && failedOnce.add(request.eventId())) ? Answer.status(500) : Answer.status(204));
        StatusChange next = this.data.change(sensor, Status.OK, 2.0);
        StatusChange otherSensor = this.data.change(other, Status.WARNING, 3.0);

        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 7);

        List<Receiver.Request> first = this.receiver.requestsTo("/first");
        Instant nFailed = arrival(first, n, 0);
        Instant nSucceeded = arrival(first, n, 1);
        assertThat(arrival(first, next, 0)).as("n+1 only after n succeeded").isAfter(nSucceeded);
        assertThat(Duration.between(nFailed, nSucceeded)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(arrival(first, otherSensor, 0)).as("another sensor is not delayed").isBefore(nSucceeded);
        List<Receiver.Request> second = this.receiver.requestsTo("/second");
        assertThat(arrival(second, next, 0)).as("another webhook is not delayed").isBefore(nSucceeded);
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void withAFlakyReceiverEveryEventOfASensorArrivesInSequenceOrder() {
        String sensor = this.data.sensor("order-flaky");
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        this.receiver.answering(
                request -> (ThreadLocalRandom.current().nextInt(100) < 30) ? Answer.status(503) : Answer.status(200));

        List<StatusChange> changes = this.data.changes(sensor, 15);

        await().atMost(Duration.ofSeconds(40))
            .untilAsserted(() -> assertThat(this.data.deliveries(webhook))
                .allSatisfy(d -> assertThat(d.get("state")).isNotEqualTo("pending"))
                .hasSize(15));
        List<Receiver.Request> requests = this.receiver.requests();
        for (int i = 1; i < changes.size(); i++) {
            Instant firstOfNext = arrival(requests, changes.get(i), 0);
            String previous = changes.get(i - 1).eventId().toString();
            Instant lastOfPrevious = requests.stream()
                .filter(r -> r.eventId().equals(previous))
                .map(Receiver.Request::arrivedAt)
                .max(Instant::compareTo)
                .orElseThrow();
            assertThat(firstOfNext).as("event %d after event %d", i + 1, i).isAfterOrEqualTo(lastOfPrevious);
        }
    }

    private static Instant arrival(List<Receiver.Request> requests, StatusChange change, int attempt) {
        List<Instant> arrivals = requests.stream()
            .filter(r -> r.eventId().equals(change.eventId().toString()))
            .map(Receiver.Request::arrivedAt)
            .sorted()
            .toList();
        assertThat(arrivals).as("requests for sequence %d", change.sequence()).hasSizeGreaterThan(attempt);
        return arrivals.get(attempt);
    }

}
