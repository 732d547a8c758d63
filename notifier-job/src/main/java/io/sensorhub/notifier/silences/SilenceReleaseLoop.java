package io.sensorhub.notifier.silences;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.BackgroundLoop;
import io.sensorhub.notifier.wakeup.Wakeup;

/**
 * Runs the {@link SilenceRelease} on a thread of its own: when a silence is created or
 * deleted (NOTIFY), when the fan-out held back a change no silence matches any more, when
 * the next silence of a client with held sensors ends (by the {@link Clock}), and every
 * {@code recheck-interval} as the fallback. Every instance does this; the release makes
 * each catch-up once, whichever instance is first.
 * <p>
 * The end of a silence is watched on the clock, looked at every {@code poll-interval} at
 * the latest, so a test that moves its clock sees the release without waiting for it in
 * real time.
 */
public class SilenceReleaseLoop extends BackgroundLoop {

    private final SilenceRelease release;

    private final Wakeup wakeup;

    private final Clock clock;

    private final SilenceProperties properties;

    private final Duration pollInterval;

    private final Counter released;

    private final Counter catchUps;

    /** The next end of a silence that matters, on the clock; loop thread only. */
    private Instant nextEnd;

    /** When every held sensor is checked again at the latest; loop thread only. */
    private Instant nextRecheck = Instant.MIN;

    /**
     * Whether the silences may have changed since the next end was read; loop thread
     * only.
     */
    private boolean signalled = true;

    public SilenceReleaseLoop(SilenceRelease release, Wakeup wakeup, Clock clock, SilenceProperties properties,
            Duration pollInterval, MeterRegistry registry) {
        super("silence-release", "Releasing silenced sensors", Duration.ofSeconds(1));
        this.release = release;
        this.wakeup = wakeup;
        this.clock = clock;
        this.properties = properties;
        this.pollInterval = pollInterval;
        this.released = Counter.builder("sensorhub.silences.released")
            .description("Sensors released after a silence held them back")
            .register(registry);
        this.catchUps = Counter.builder("sensorhub.silences.catch-ups")
            .description("Catch-up deliveries queued for released sensors")
            .register(registry);
    }

    @Override
    public void start() {
        this.signalled = true;
        super.start();
    }

    @Override
    protected void turn() throws InterruptedException {
        Instant now = this.clock.instant();
        boolean releasing = this.wakeup.takeReleaseRequest() || due(now);
        if (releasing) {
            releaseAll(now);
            this.nextRecheck = now.plus(this.properties.recheckInterval());
        }
        if (releasing || this.signalled) {
            this.nextEnd = this.release.nextEnd(now).orElse(null);
        }
        this.signalled = this.wakeup.awaitSilences(untilNextLook());
    }

    @Override
    protected void failed() {
        this.nextRecheck = Instant.MIN;
        this.signalled = true;
    }

    private boolean due(Instant now) {
        return !now.isBefore(this.nextRecheck) || (this.nextEnd != null && !now.isBefore(this.nextEnd));
    }

    /** Releases batches until one finds fewer due sensors than it could take. */
    private void releaseAll(Instant now) {
        SilenceRelease.Result result;
        do {
            result = this.release.release(now, this.properties.releaseBatch());
            this.released.increment(result.released());
            this.catchUps.increment(result.deliveries());
            if (result.deliveries() > 0) {
                this.wakeup.deliveriesChanged();
            }
        }
        while (running() && result.due() >= this.properties.releaseBatch());
    }

    /** Until the next silence ends on the clock, at most {@code poll-interval}. */
    private Duration untilNextLook() {
        if (this.nextEnd == null) {
            return this.pollInterval;
        }
        Duration untilEnd = Duration.between(this.clock.instant(), this.nextEnd);
        return (untilEnd.compareTo(this.pollInterval) < 0) ? untilEnd : this.pollInterval;
    }

}
