package io.sensorhub.notifier.wakeup;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What wakes the fan-out (new status changes), the delivery loop (deliveries that may
 * have become due) and the release of silenced sensors (a silence created or deleted,
 * sensors held). Raising is cheap and coalesces: many raises before the loop looks wake
 * it once.
 */
public class Wakeup {

    private final Semaphore signal = new Semaphore(0);

    private final Semaphore statusSignal = new Semaphore(0);

    private final Semaphore silenceSignal = new Semaphore(0);

    private final AtomicBoolean releaseRequested = new AtomicBoolean();

    /** New status changes may wait in the outbox: wakes the fan-out. */
    public void statusChanged() {
        raise(this.statusSignal);
    }

    /**
     * Waits until status changes were announced or {@code timeout} passed; true if
     * announced.
     */
    public boolean awaitStatusChange(Duration timeout) throws InterruptedException {
        boolean raised = this.statusSignal.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        this.statusSignal.drainPermits();
        return raised;
    }

    /**
     * Deliveries may have become due (new, redelivered, a webhook enabled, an attempt
     * finished).
     */
    public void deliveriesChanged() {
        raise(this.signal);
    }

    /** Waits until raised or {@code timeout} passed; true if raised. */
    public boolean await(Duration timeout) throws InterruptedException {
        boolean raised = this.signal.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        this.signal.drainPermits();
        return raised;
    }

    /**
     * A silence was created or deleted, or sensors were held back that no silence matches
     * any more: held sensors may be released now.
     */
    public void silencesChanged() {
        this.releaseRequested.set(true);
        raise(this.silenceSignal);
    }

    /**
     * Sensors were held back by a silence: when the next silence ends may have changed.
     */
    public void sensorsHeld() {
        raise(this.silenceSignal);
    }

    /**
     * Waits until {@link #silencesChanged} or {@link #sensorsHeld} was raised or
     * {@code timeout} passed; true if raised.
     */
    public boolean awaitSilences(Duration timeout) throws InterruptedException {
        boolean raised = this.silenceSignal.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        this.silenceSignal.drainPermits();
        return raised;
    }

    /**
     * Whether {@link #silencesChanged} was raised since the last call (and clears it).
     */
    public boolean takeReleaseRequest() {
        return this.releaseRequested.getAndSet(false);
    }

    private static void raise(Semaphore semaphore) {
        if (semaphore.availablePermits() == 0) {
            semaphore.release();
        }
    }

}
