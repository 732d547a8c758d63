package io.sensorhub.notifier.wakeup;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What wakes the fan-out (new status changes), the delivery loop (deliveries that may
 * have become due, attempts that finished) and the release of silenced sensors (a silence
 * created or deleted, sensors held). Raising is cheap and coalesces: many raises before
 * the loop looks wake it once. No raise is lost: each is followed by a round that starts
 * after it (one that comes while the loop is busy makes its next wait return at once).
 */
public class Wakeup {

    private final Semaphore signal = new Semaphore(0);

    private final Semaphore statusSignal = new Semaphore(0);

    /** Deliveries were announced since the delivery loop last looked. */
    private final AtomicBoolean announced = new AtomicBoolean();

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
     * Deliveries may have become due (redelivered, a webhook enabled, new ones another
     * thread could not claim): the delivery loop claims at once.
     */
    public void deliveriesChanged() {
        this.announced.set(true);
        raise(this.signal);
    }

    /**
     * An attempt finished: the delivery loop records it, and may first let a few more
     * finish.
     */
    public void attemptFinished() {
        raise(this.signal);
    }

    /** Whether the delivery loop's next {@link #await} returns at once. */
    public boolean raised() {
        return this.signal.availablePermits() > 0;
    }

    /** Waits until raised or {@code timeout} passed; true if raised. */
    public boolean await(Duration timeout) throws InterruptedException {
        boolean raised = this.signal.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        this.signal.drainPermits();
        return raised;
    }

    /**
     * Whether {@link #deliveriesChanged} was raised since the last call; clears it. Read
     * after {@link #await}, so a raise during the wait is seen.
     */
    public boolean takeAnnounced() {
        return this.announced.getAndSet(false);
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
