package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The delivery metrics, on {@code /actuator/prometheus}:
 * <ul>
 * <li>{@code sensorhub_webhooks_attempts_total{outcome=succeeded|retrying|dead}}:
 * attempts by outcome (rate = deliveries/s)</li>
 * <li>{@code sensorhub_webhooks_attempt_latency_seconds}: attempt latency histogram</li>
 * <li>{@code sensorhub_webhooks_first_attempt_delay_seconds}: from the status change (or
 * test event) to its first attempt</li>
 * <li>{@code sensorhub_webhooks_deliveries{state=pending|dead}}: deliveries waiting and
 * dead</li>
 * <li>{@code sensorhub_webhooks_failure_streak{webhook}}: consecutive failed attempts per
 * failing webhook (this instance)</li>
 * <li>{@code sensorhub_webhooks_in_flight},
 * {@code sensorhub_webhooks_fanout_events_total}</li>
 * </ul>
 */
public class DeliveryMetrics {

    private final Counter succeeded;

    private final Counter retrying;

    private final Counter dead;

    private final Timer latency;

    private final Timer firstAttemptDelay;

    private final Map<String, AtomicLong> states = new ConcurrentHashMap<>();

    private final Map<UUID, Long> streaks = new ConcurrentHashMap<>();

    private final MultiGauge streakGauge;

    private final Timer recordStep;

    private final Timer claimStep;

    private final Timer idleStep;

    public DeliveryMetrics(MeterRegistry registry, java.util.function.IntSupplier inFlight) {
        this.succeeded = outcome(registry, "succeeded");
        this.retrying = outcome(registry, "retrying");
        this.dead = outcome(registry, "dead");
        this.latency = Timer.builder("sensorhub.webhooks.attempt.latency")
            .description("Delivery attempt latency")
            .publishPercentileHistogram()
            .register(registry);
        this.firstAttemptDelay = Timer.builder("sensorhub.webhooks.first.attempt.delay")
            .description("Time from a status change to the first attempt of its delivery")
            .publishPercentileHistogram()
            .register(registry);
        for (String state : new String[] { "pending", "dead" }) {
            AtomicLong value = this.states.computeIfAbsent(state, s -> new AtomicLong());
            Gauge.builder("sensorhub.webhooks.deliveries", value, AtomicLong::get)
                .tag("state", state)
                .description("Deliveries by state")
                .register(registry);
        }
        Gauge.builder("sensorhub.webhooks.in.flight", inFlight::getAsInt)
            .description("Attempts in flight")
            .register(registry);
        this.recordStep = loopTimer(registry, "record");
        this.claimStep = loopTimer(registry, "claim");
        this.idleStep = loopTimer(registry, "idle");
        this.streakGauge = MultiGauge.builder("sensorhub.webhooks.failure.streak")
            .description("Consecutive failed attempts of a webhook")
            .register(registry);
    }

    private static Timer loopTimer(MeterRegistry registry, String phase) {
        return Timer.builder("sensorhub.webhooks.loop")
            .tag("phase", phase)
            .description("Time the delivery loop spends per phase")
            .register(registry);
    }

    void step(long recordNanos, long claimNanos) {
        this.recordStep.record(recordNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        claimed(claimNanos);
    }

    /** A claim, the loop's or one made right after a fan-out. */
    void claimed(long nanos) {
        this.claimStep.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void idle(long nanos) {
        this.idleStep.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("sensorhub.webhooks.attempts")
            .tag("outcome", outcome)
            .description("Delivery attempts by outcome")
            .register(registry);
    }

    void attempted(ClaimedDelivery delivery, AttemptResult result, DeliveryPolicy.Verdict verdict) {
        this.latency.record(Duration.ofMillis(result.latencyMs()));
        if (delivery.attempt() == 1) {
            this.firstAttemptDelay.record(Duration.between(delivery.origin(), result.at()).abs());
        }
        switch (verdict.state()) {
            case SUCCEEDED -> this.succeeded.increment();
            case DEAD -> this.dead.increment();
            default -> this.retrying.increment();
        }
        if (result.succeeded()) {
            this.streaks.remove(delivery.webhookId());
        }
        else {
            this.streaks.merge(delivery.webhookId(), 1L, Long::sum);
        }
    }

    /** Refreshes the gauges read from the database and the per-webhook streaks. */
    void refresh(Map<String, Long> counts) {
        counts.forEach((state, count) -> this.states.computeIfAbsent(state, s -> new AtomicLong()).set(count));
        this.streakGauge.register(this.streaks.entrySet()
            .stream()
            .map(e -> MultiGauge.Row.of(Tags.of("webhook", e.getKey().toString()), e.getValue()))
            .toList(), true);
    }

}
