package io.sensorhub.notifier.reminders;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link Reminders} on a thread of its own: sends the due reminders, withdraws the
 * unwanted ones, then sleeps until the next reminder is due, at most
 * {@code poll-interval} (a reminder scheduled meanwhile by another instance is found by
 * then), at least {@link #MIN_PAUSE} while due rows are held elsewhere. Nothing is kept
 * in memory: the schedule is in the database, so stopping and starting again, here or in
 * another instance, resumes it.
 */
public class ReminderLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReminderLoop.class);

    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

    /**
     * The shortest sleep: due rows another instance or a fan-out holds are short-lived.
     */
    static final Duration MIN_PAUSE = Duration.ofMillis(100);

    private final Reminders reminders;

    private final int batch;

    private final Duration pollInterval;

    private final Counter handled;

    private volatile boolean running;

    private volatile Thread thread;

    public ReminderLoop(Reminders reminders, int batch, Duration pollInterval, MeterRegistry registry) {
        this.reminders = reminders;
        this.batch = batch;
        this.pollInterval = pollInterval;
        this.handled = Counter.builder("sensorhub.webhooks.reminders.due")
            .description("Due reminders handled: sent, postponed or ended")
            .register(registry);
    }

    @Override
    public void start() {
        this.running = true;
        this.thread = Threads.start("reminders", this::run);
    }

    @Override
    public void stop() {
        this.running = false;
        Thread current = this.thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(ERROR_BACKOFF.multipliedBy(5).toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private void run() {
        while (this.running) {
            try {
                int due = this.reminders.sendDue(this.batch);
                this.handled.increment(due);
                this.reminders.withdrawUnwanted(this.batch);
                if (due < this.batch) {
                    Thread.sleep(sleepTime().toMillis());
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (!this.running) {
                    return;
                }
                log.warn("Sending reminders failed, retrying: {}", ex.toString());
                pause();
            }
        }
    }

    private Duration sleepTime() {
        Duration untilDue = this.reminders.nextDue()
            .map(at -> Duration.between(Instant.now(), at))
            .orElse(this.pollInterval);
        if (untilDue.compareTo(MIN_PAUSE) < 0) {
            return MIN_PAUSE;
        }
        return (untilDue.compareTo(this.pollInterval) < 0) ? untilDue : this.pollInterval;
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
