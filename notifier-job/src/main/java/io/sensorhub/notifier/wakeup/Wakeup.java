package io.sensorhub.notifier.wakeup;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What wakes the delivery loop: new status changes to fan out, or deliveries that may have become due.
 * Raising is cheap and coalesces: many raises before the loop looks wake it once.
 */
public class Wakeup {

    private final Semaphore signal = new Semaphore(0);

    private final AtomicBoolean statusChanges = new AtomicBoolean(true);

    /** New status changes may wait in the outbox. */
    public void statusChanged() {
        this.statusChanges.set(true);
        raise();
    }

    /** Deliveries may have become due (new, redelivered, a webhook enabled, an attempt finished). */
    public void deliveriesChanged() {
        raise();
    }

    /** Takes the "status changes waiting" flag. */
    public boolean takeStatusChanged() {
        return this.statusChanges.getAndSet(false);
    }

    /** Waits until raised or {@code timeout} passed; true if raised. */
    public boolean await(Duration timeout) throws InterruptedException {
        boolean raised = this.signal.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        this.signal.drainPermits();
        return raised;
    }

    private void raise() {
        if (this.signal.availablePermits() == 0) {
            this.signal.release();
        }
    }
}
