package io.sensorhub.notifier.fanout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.notifier.wakeup.Wakeup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link FanOut} on a thread of its own, so a large fan-out never holds up
 * recording and claiming deliveries: when status changes are announced (NOTIFY), and
 * every {@code poll-interval} as the fallback for a lost notification. Right after each
 * batch that created deliveries ready to be attempted has committed, this thread claims
 * them itself (the delivery loop's {@code claimNow}): a status change's first attempt
 * waits for no other thread. If that claim fails, the delivery loop is woken to make it.
 * A delivery created waiting for an earlier one is claimed by the delivery loop when the
 * earlier one's end is recorded. A batch that held sensors back for a silence wakes the
 * release of silenced sensors.
 */
public class FanOutLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FanOutLoop.class);

    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

    private final FanOut fanOut;

    private final Wakeup wakeup;

    private final Runnable claim;

    private final int batch;

    private final Duration pollInterval;

    private final Counter events;

    private final Timer duration;

    private volatile boolean running;

    private volatile Thread thread;

    /**
     * @param claim claims due deliveries on the calling thread (the delivery loop's
     * {@code claimNow}); run after each batch that created deliveries ready to be
     * attempted
     */
    public FanOutLoop(FanOut fanOut, Wakeup wakeup, Runnable claim, int batch, Duration pollInterval,
            MeterRegistry registry) {
        this.fanOut = fanOut;
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
    public void start() {
        this.running = true;
        this.thread = Threads.start("fan-out", this::run);
    }

    @Override
    public void stop() {
        this.running = false;
        if (this.thread != null) {
            this.thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private void run() {
        while (this.running) {
            try {
                fanOutAll();
                this.wakeup.awaitStatusChange(this.pollInterval);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                log.warn("Fan-out failed, retrying: {}", ex.toString());
                pause();
            }
        }
    }

    /**
     * Fans out batches until a batch takes nothing (the outbox is drained, or what is
     * left is another instance's).
     */
    private void fanOutAll() {
        FanOut.Result result;
        do {
            long started = System.nanoTime();
            result = this.fanOut.fanOut(this.batch);
            this.duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            this.events.increment(result.events());
            if (result.ready() > 0) {
                claim();
            }
            if (result.releasable() > 0) {
                this.wakeup.silencesChanged();
            }
            else if (result.held() > 0) {
                this.wakeup.sensorsHeld();
            }
        }
        while (this.running && result.events() > 0);
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

    private void pause() {
        try {
            Thread.sleep(ERROR_BACKOFF.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.running = false;
        }
    }

}
