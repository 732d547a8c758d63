package io.sensorhub.common.concurrent;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A thread of its own that takes turns until stopped, written once for every such loop: a
 * turn that fails is logged and retried after a pause, and never ends the loop; an
 * interrupt (from {@link #stop}) does. A subclass says what one turn does, including its
 * wait for the next.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());

    private final String threadName;

    private final String work;

    private final Duration errorBackoff;

    private volatile boolean running;

    private volatile Thread thread;

    /**
     * @param threadName the loop thread's name
     * @param work what a turn does, for the log: "{work} failed, retrying: …"
     * @param errorBackoff the pause after a failed turn
     */
    protected BackgroundLoop(String threadName, String work, Duration errorBackoff) {
        this.threadName = threadName;
        this.work = work;
        this.errorBackoff = errorBackoff;
    }

    /** One turn: the work, then the wait for the next. */
    protected abstract void turn() throws InterruptedException;

    /**
     * Called after a turn failed, before the pause: forget what the turn left half done.
     */
    protected void failed() {
    }

    /** Whether the loop should go on; for a turn that itself repeats. */
    protected final boolean running() {
        return this.running;
    }

    @Override
    public void start() {
        this.running = true;
        this.thread = Threads.start(this.threadName, this::run);
    }

    @Override
    public void stop() {
        this.running = false;
        Thread current = this.thread;
        if (current != null) {
            current.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Waits up to {@code timeout} for the loop thread to end, after {@link #stop}: for a
     * loop whose turn must not be cut short by what stops after it.
     */
    protected final void awaitEnd(Duration timeout) {
        Thread current = this.thread;
        if (current == null) {
            return;
        }
        try {
            current.join(timeout.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (this.running) {
            try {
                turn();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (!this.running) {
                    return;
                }
                this.log.warn("{} failed, retrying: {}", this.work, ex.toString());
                failed();
                try {
                    Thread.sleep(this.errorBackoff.toMillis());
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

}
