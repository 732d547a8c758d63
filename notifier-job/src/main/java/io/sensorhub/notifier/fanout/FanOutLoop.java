package io.sensorhub.notifier.fanout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sensorhub.common.concurrent.BackgroundLoop;
import io.sensorhub.notifier.wakeup.Wakeup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link FanOut} and the {@link WebhookEventFanOut} on a thread of its own, so a
 * large fan-out never holds up recording and claiming deliveries: when status changes or
 * events about webhooks are announced (NOTIFY), and every {@code poll-interval} as the
 * fallback for a lost notification. Right after each batch that created deliveries ready
 * to be attempted has committed, this thread claims them itself (the delivery loop's
 * {@code claimNow}): a status change's first attempt waits for no other thread. If that
 * claim fails, the delivery loop is woken to make it. A delivery created waiting for an
 * earlier one is claimed by the delivery loop when the earlier one's end is recorded. A
 * batch that held sensors back for a silence wakes the release of silenced sensors.
 */
public class FanOutLoop extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(FanOutLoop.class);

    /**
     * The wait before looking again at events another transaction held: they are held by
     * a fan-out or the bookkeeping of a delivery, both short transactions.
     */
    static final Duration BUSY_RETRY = Duration.ofMillis(10);

    private final FanOut fanOut;

    private final WebhookEventFanOut webhookEvents;

    private final Wakeup wakeup;

    private final Runnable claim;

    private final int batch;

    private final Duration pollInterval;

    private final Counter events;

    private final Timer duration;

    /**
     * @param claim claims due deliveries on the calling thread (the delivery loop's
     * {@code claimNow}); run after each batch that created deliveries ready to be
     * attempted
     */
    public FanOutLoop(FanOut fanOut, WebhookEventFanOut webhookEvents, Wakeup wakeup, Runnable claim, int batch,
            Duration pollInterval, MeterRegistry registry) {
        super("fan-out", "Fan-out", Duration.ofSeconds(1));
        this.fanOut = fanOut;
        this.webhookEvents = webhookEvents;
        this.wakeup = wakeup;
        this.claim = claim;
        this.batch = batch;
        this.pollInterval = pollInterval;
        this.events = Counter.builder("sensorhub.webhooks.fanout.events")
            .description("Status changes fanned out")
            .register(registry);
        this.duration = Timer.builder("sensorhub.webhooks.loop")
            .tag("phase", "fanout")
            .description("Time the delivery loop spends per phase")
            .register(registry);
    }

    @Override
    protected void turn() throws InterruptedException {
        boolean busy = fanOutAll();
        this.wakeup.awaitStatusChange(busy ? BUSY_RETRY : this.pollInterval);
    }

    /**
     * Fans out batches until neither outbox's batch was full (each took every event
     * committed before it began, but those held by another transaction): events committed
     * since are announced by a NOTIFY, which ends the next wait at once. At a low rate
     * that is one round per wake-up, not two (the second only finding the outbox empty).
     * @return whether the last batch left events because another transaction held their
     * sensor or webhook: no NOTIFY will come for them, so the loop looks again shortly
     * rather than after the poll interval
     */
    private boolean fanOutAll() {
        boolean more;
        boolean busy;
        do {
            // each outbox's deliveries are claimed as soon as they are committed: the
            // changes' are not kept waiting for the other outbox's transaction
            long started = System.nanoTime();
            FanOut.Result changes = this.fanOut.fanOut(this.batch);
            long fanningOut = System.nanoTime() - started;
            this.events.increment(changes.events());
            if (changes.ready() > 0) {
                claim();
            }
            started = System.nanoTime();
            FanOut.Result webhookEvents = this.webhookEvents.fanOut(this.batch);
            this.duration.record(fanningOut + System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (webhookEvents.ready() > 0) {
                claim();
            }
            if (changes.releasable() > 0) {
                this.wakeup.silencesChanged();
            }
            else if (changes.held() > 0) {
                this.wakeup.sensorsHeld();
            }
            more = changes.full() || webhookEvents.full();
            busy = changes.busy() + webhookEvents.busy() > 0;
        }
        while (running() && more);
        return busy;
    }

    /**
     * Claims the deliveries just committed, or, if that fails, wakes the delivery loop to
     * claim them: they are never left to the polling interval.
     */
    private void claim() {
        try {
            this.claim.run();
        }
        catch (RuntimeException ex) {
            log.warn("Claiming new deliveries failed, the delivery loop will: {}", ex.toString());
            this.wakeup.deliveriesChanged();
        }
    }

}
