package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.logging.Correlation;
import io.sensorhub.notifier.delivery.DeliveryRecords.Outcome;
import io.sensorhub.notifier.wakeup.Wakeup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;

/**
 * The delivery loop: one thread does the database work in batches (record finished
 * attempts, claim due deliveries), and a bounded pool of workers does the HTTP; the
 * fan-out runs on its own thread. It sleeps until woken by a NOTIFY, a finished attempt,
 * the next due time, or the slow polling interval: no busy polling.
 * <p>
 * New deliveries do not wait for it: the fan-out claims them itself right after
 * committing them ({@link #claimNow}), on its own thread, so a status change's first
 * attempt follows its fan-out without a wake-up, a fixed wait or the round the loop may
 * be in. The loop claims whatever that left (a host at its limit, a failed claim) when
 * attempts finish, when woken, or at the polling interval. Claims are made one at a time,
 * whichever thread makes them, and each takes its hosts' load as it is then.
 * <p>
 * Concurrency is bounded overall ({@code max-concurrency}) and per host
 * ({@code max-concurrency-per-host}), so one slow or dead endpoint holds at most its
 * host's share of the workers and never delays other endpoints.
 * <p>
 * An attempt that throws (a bug, an {@link Error} of the HTTP client) still frees its
 * place in both limits and its host's sender; it is abandoned unrecorded and its lease
 * lapses, so it is attempted again after the lease, as after a crash. A host's queue of
 * senders exists only while it has deliveries claimed.
 */
public class DeliveryLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLoop.class);

    private static final Duration STATS_INTERVAL = Duration.ofSeconds(10);

    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

    /**
     * Deliveries claimed ahead of the senders, as a multiple of the concurrency limits.
     */
    static final int PREFETCH = 2;

    private final String instance;

    private final DeliveryProperties properties;

    private final DeliveryRecords store;

    private final WebhookClient client;

    private final DeliveryPolicy policy;

    private final Wakeup wakeup;

    private final ExecutorService workers;

    private final ConcurrentLinkedQueue<Outcome> finished = new ConcurrentLinkedQueue<>();

    /** Attempts that threw: nothing to record, their hosts' load to give back. */
    private final ConcurrentLinkedQueue<ClaimedDelivery> abandoned = new ConcurrentLinkedQueue<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * Held while claiming and dispatching, and while {@link #hostLoad} changes: claims
     * come from the loop and from the fan-out ({@link #claimNow}).
     */
    private final Object claiming = new Object();

    /** Claimed, unrecorded deliveries per host (guarded by {@link #claiming}). */
    private final Map<String, Integer> hostLoad = new HashMap<>();

    /** The lanes of the hosts with claimed deliveries; an idle lane is removed. */
    private final Map<String, HostLane> lanes = new ConcurrentHashMap<>();

    private final DeliveryMetrics metrics;

    private volatile boolean running;

    private Thread thread;

    private Instant nextStats = Instant.EPOCH;

    public DeliveryLoop(String instance, DeliveryProperties properties, DeliveryRecords store, WebhookClient client,
            DeliveryPolicy policy, Wakeup wakeup, io.micrometer.core.instrument.MeterRegistry registry) {
        this.instance = instance;
        this.properties = properties;
        this.store = store;
        this.client = client;
        this.policy = policy;
        this.wakeup = wakeup;
        this.workers = new ThreadPoolExecutor(properties.maxConcurrency(), properties.maxConcurrency(), 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Threads.named("webhook"));
        this.metrics = new DeliveryMetrics(registry, this.inFlight::get);
    }

    /** This instance's name in {@code locked_by}. */
    public String instance() {
        return this.instance;
    }

    @Override
    public void start() {
        this.running = true;
        this.thread = Threads.start("delivery-loop", this::run);
    }

    @Override
    public void stop() {
        this.running = false;
        this.wakeup.deliveriesChanged();
        try {
            if (this.thread != null) {
                this.thread.join(this.properties.timeout().plusSeconds(5).toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.workers.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100; // stop after the listener, before the
                                                   // web server
    }

    private void run() {
        while (this.running) {
            try {
                boolean busy = step();
                if (!busy) {
                    long idle = System.nanoTime();
                    // already woken (attempts finished during the round): no need to ask
                    // the database how long to sleep
                    this.wakeup.await(this.wakeup.raised() ? Duration.ZERO : sleepTime());
                    if (!this.wakeup.takeAnnounced()) {
                        coalesce();
                    }
                    this.metrics.idle(System.nanoTime() - idle);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            catch (RuntimeException ex) {
                log.warn("Delivery loop step failed, retrying: {}", ex.toString());
                pause();
            }
        }
        drainOnShutdown();
    }

    /** One round; true if there is more work right away. */
    boolean step() {
        long started = System.nanoTime();
        recordFinished();
        long recorded = System.nanoTime();
        boolean more;
        synchronized (this.claiming) {
            more = claimAndDispatch();
        }
        long claimed = System.nanoTime();
        refreshStatsIfDue();
        this.metrics.step(recorded - started, claimed - recorded);
        return more;
    }

    /**
     * Claims due deliveries and hands them to their hosts' senders now, on the calling
     * thread, as a round of the loop would: the fan-out calls it right after committing
     * new deliveries. Does nothing before the loop starts or once it is stopping. Safe to
     * call from any thread.
     */
    public void claimNow() {
        synchronized (this.claiming) {
            if (this.running) {
                long started = System.nanoTime();
                claimAndDispatch();
                this.metrics.claimed(System.nanoTime() - started);
            }
        }
    }

    private void recordFinished() {
        synchronized (this.claiming) {
            for (ClaimedDelivery delivery; (delivery = this.abandoned.poll()) != null;) {
                unload(delivery.hostKey());
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Outcome outcome; (outcome = this.finished.poll()) != null;) {
            outcomes.add(outcome);
        }
        if (outcomes.isEmpty()) {
            return;
        }
        try {
            this.store.record(this.instance, outcomes, this.properties.disableAfter());
        }
        catch (RuntimeException ex) {
            this.finished.addAll(outcomes); // keep them (the leases hold) and try again
                                            // next round
            throw ex;
        }
        synchronized (this.claiming) {
            outcomes.forEach((outcome) -> unload(outcome.delivery().hostKey()));
        }
    }

    /** Called holding {@link #claiming}. */
    private boolean claimAndDispatch() {
        int free = this.properties.maxConcurrency() * PREFETCH - this.inFlight.get();
        if (free <= 0) {
            return false;
        }
        List<ClaimedDelivery> claimed = this.store.claim(this.instance, free, this.properties.lease(), this.hostLoad,
                this.properties.maxConcurrencyPerHost() * PREFETCH);
        List<UUID> giveBack = new ArrayList<>();
        for (ClaimedDelivery delivery : claimed) {
            if (!dispatch(delivery)) {
                giveBack.add(delivery.id());
            }
        }
        this.store.release(this.instance, giveBack);
        return claimed.size() == free && giveBack.isEmpty();
    }

    private boolean dispatch(ClaimedDelivery delivery) {
        String host = delivery.hostKey();
        int load = this.hostLoad.getOrDefault(host, 0);
        if (load >= this.properties.maxConcurrencyPerHost() * PREFETCH) {
            return false;
        }
        this.hostLoad.put(host, load + 1);
        this.inFlight.incrementAndGet();
        // Atomic with the removal of an idle lane (HostLane.leave), so a delivery never
        // lands in a lane already removed, beside a new one of the same host.
        this.lanes.compute(host, (h, lane) -> {
            HostLane open = (lane != null) ? lane : new HostLane(h);
            open.offer(delivery);
            return open;
        });
        return true;
    }

    /**
     * Attempts one delivery and hands its outcome to the loop. Whatever happens, its
     * place in flight is freed and the loop woken: an attempt that throws is abandoned
     * (its lease lapses); an {@link Error} is logged and thrown on.
     */
    private void attempt(ClaimedDelivery delivery) {
        Outcome outcome = null;
        try (MDC.MDCCloseable scope = Correlation.open(correlationOf(delivery))) {
            AttemptResult result = this.client.post(delivery);
            DeliveryPolicy.Verdict verdict = this.policy.judge(result, delivery.failuresBefore());
            outcome = new Outcome(delivery, result, verdict);
            logAttempt(delivery, result, verdict);
            this.metrics.attempted(delivery, result, verdict);
        }
        catch (RuntimeException | Error ex) {
            if (outcome == null) {
                log.error("Attempt {} of event {} to webhook {} failed unexpectedly; it is made again when its "
                        + "lease lapses", delivery.attempt(), delivery.eventId(), delivery.webhookId(), ex);
            }
            else {
                log.error("Logging or counting attempt {} of event {} to webhook {} failed; its outcome is recorded",
                        delivery.attempt(), delivery.eventId(), delivery.webhookId(), ex);
            }
            if (ex instanceof Error error) {
                throw error;
            }
        }
        finally {
            if (outcome != null) {
                this.finished.add(outcome);
            }
            else {
                this.abandoned.add(delivery);
            }
            this.inFlight.decrementAndGet();
            this.wakeup.attemptFinished();
        }
    }

    /** Host lanes that exist now: those of hosts with deliveries queued or being sent. */
    int hostLanes() {
        return this.lanes.size();
    }

    private static String correlationOf(ClaimedDelivery delivery) {
        return (delivery.correlationId() != null) ? delivery.correlationId() : delivery.eventId().toString();
    }

    private static void logAttempt(ClaimedDelivery delivery, AttemptResult result, DeliveryPolicy.Verdict verdict) {
        if (verdict.state() == DeliveryPolicy.DeliveryState.SUCCEEDED) {
            log.debug("Delivered event {} to webhook {} (attempt {}, {} ms)", delivery.eventId(), delivery.webhookId(),
                    delivery.attempt(), result.latencyMs());
        }
        else {
            log.info("Delivery of event {} to webhook {} failed (attempt {}: {}); now {}{}", delivery.eventId(),
                    delivery.webhookId(), delivery.attempt(), result.error(), verdict.state(),
                    verdict.disableWebhook() ? ", webhook disabled" : "");
        }
    }

    /**
     * The claimed deliveries of one host waiting for a sender, and its senders: at most
     * {@code max-concurrency-per-host} at once. A sender takes the next delivery as soon
     * as it is done with one, so the HTTP never waits for the loop's next round (the loop
     * claims up to {@value #PREFETCH} times what can be sent at once).
     * <p>
     * A sender gives its place back however it ends (an attempt that threw an
     * {@link Error} ends it), handing on to a new sender if deliveries are still queued;
     * the last one out of an empty queue removes the lane.
     */
    private final class HostLane {

        private final String host;

        private final Deque<ClaimedDelivery> queue = new ArrayDeque<>();

        private int senders;

        HostLane(String host) {
            this.host = host;
        }

        synchronized void offer(ClaimedDelivery delivery) {
            this.queue.add(delivery);
            if (this.senders < DeliveryLoop.this.properties.maxConcurrencyPerHost()) {
                startSender();
            }
        }

        synchronized List<ClaimedDelivery> clear() {
            List<ClaimedDelivery> waiting = new ArrayList<>(this.queue);
            this.queue.clear();
            return waiting;
        }

        synchronized boolean idle() {
            return this.senders == 0 && this.queue.isEmpty();
        }

        private void startSender() {
            this.senders++;
            try {
                DeliveryLoop.this.workers.execute(this::send);
            }
            catch (RuntimeException ex) { // rejected: stopping
                this.senders--;
                throw ex;
            }
        }

        private void send() {
            try {
                for (ClaimedDelivery next = next(); next != null; next = next()) {
                    attempt(next);
                }
            }
            finally {
                leave();
            }
        }

        private synchronized ClaimedDelivery next() {
            return this.queue.poll();
        }

        private void leave() {
            synchronized (this) {
                this.senders--;
                if (!this.queue.isEmpty()) {
                    startSender();
                    return;
                }
            }
            // Outside this lane's lock: the map locks before the lane (see dispatch).
            DeliveryLoop.this.lanes.computeIfPresent(this.host, (h, lane) -> lane.idle() ? null : lane);
        }

    }

    private void unload(String host) {
        int load = this.hostLoad.getOrDefault(host, 1) - 1;
        if (load <= 0) {
            this.hostLoad.remove(host);
        }
        else {
            this.hostLoad.put(host, load);
        }
    }

    /**
     * While attempts are in flight, lets a few more finish before the next round, so one
     * round records and claims many deliveries instead of one each: fewer statements per
     * delivery. Idle, a new event goes at once.
     */
    private void coalesce() throws InterruptedException {
        Duration wait = this.properties.coalesce();
        if (this.inFlight.get() > 0 && !wait.isZero()) {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        }
    }

    private Duration sleepTime() {
        Duration poll = this.properties.pollInterval();
        Duration untilDue = this.store.nextWakeUp().map(at -> Duration.between(Instant.now(), at)).orElse(poll);
        Duration sleep = (untilDue.compareTo(poll) < 0) ? untilDue : poll;
        if (sleep.isNegative()) {
            return Duration.ZERO;
        }
        return sleep.plusMillis(1);
    }

    private void refreshStatsIfDue() {
        Instant now = Instant.now();
        if (now.isBefore(this.nextStats)) {
            return;
        }
        this.nextStats = now.plus(STATS_INTERVAL);
        this.metrics.refresh(this.store.countsByState());
    }

    private void drainOnShutdown() {
        List<UUID> unsent = new ArrayList<>();
        // no claimNow after this: it sees the loop stopping
        synchronized (this.claiming) {
            this.lanes.values().forEach(lane -> lane.clear().forEach(delivery -> {
                unsent.add(delivery.id());
                this.inFlight.decrementAndGet();
            }));
        }
        try {
            this.store.release(this.instance, unsent);
        }
        catch (RuntimeException ex) {
            log.warn("Could not give back {} unsent deliveries (their leases will lapse): {}", unsent.size(),
                    ex.toString());
        }
        long deadline = System.nanoTime() + this.properties.timeout().plusSeconds(1).toNanos();
        while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(20));
        }
        try {
            recordFinished();
        }
        catch (RuntimeException ex) {
            log.warn("Could not record the last attempts before stopping (their leases will lapse): {}", ex.toString());
        }
    }

    private void pause() {
        pause(ERROR_BACKOFF);
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
