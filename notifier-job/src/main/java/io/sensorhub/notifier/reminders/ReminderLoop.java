package io.sensorhub.notifier.reminders;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.BackgroundLoop;

/**
 * Runs {@link Reminders} on a thread of its own: applies webhooks' changed reminder
 * settings, sends the due reminders, withdraws the unwanted ones, then sleeps until the
 * next reminder is due, at most {@code poll-interval} (a reminder scheduled meanwhile by
 * another instance is found by then), at least {@link #MIN_PAUSE} while due rows are held
 * elsewhere. Nothing is kept in memory: the schedule is in the database, so stopping and
 * starting again, here or in another instance, resumes it.
 */
public class ReminderLoop extends BackgroundLoop {

    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

    /**
     * The shortest sleep: due rows another instance or a fan-out holds are short-lived.
     */
    static final Duration MIN_PAUSE = Duration.ofMillis(100);

    private final Reminders reminders;

    private final int batch;

    private final Duration pollInterval;

    private final Counter handled;

    public ReminderLoop(Reminders reminders, int batch, Duration pollInterval, MeterRegistry registry) {
        super("reminders", "Sending reminders", ERROR_BACKOFF);
        this.reminders = reminders;
        this.batch = batch;
        this.pollInterval = pollInterval;
        this.handled = Counter.builder("sensorhub.webhooks.reminders.due")
            .description("Due reminders handled: sent, postponed or ended")
            .register(registry);
    }

    /** Lets a turn that is sending reminders finish before what stops after this does. */
    @Override
    public void stop() {
        super.stop();
        awaitEnd(ERROR_BACKOFF.multipliedBy(5));
    }

    @Override
    protected void turn() throws InterruptedException {
        this.reminders.applyChangedSettings(this.batch);
        int due = this.reminders.sendDue(this.batch);
        this.handled.increment(due);
        this.reminders.withdrawUnwanted(this.batch);
        if (due < this.batch) {
            Thread.sleep(sleepTime().toMillis());
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

}
