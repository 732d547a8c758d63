package io.sensorhub.notifier.wakeup;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What wakes the fan-out (new status changes) and the delivery loop (deliveries that may
 * have become due). Raising is cheap and coalesces: many raises before the loop looks
 * wake it once.
 */
public class Wakeup {

    private final Semaphore signal = new Semaphore(0);

    private final Semaphore statusSignal = new Semaphore(0);

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

    private static void raise(Semaphore semaphore) {
        if (semaphore.availablePermits() == 0) {
            semaphore.release();
        }
    }

}
