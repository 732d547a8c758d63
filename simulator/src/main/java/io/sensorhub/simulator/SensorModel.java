package io.sensorhub.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/**
 * One simulated sensor: a slow wave around 50 plus noise, occasional spikes past the
 * thresholds it is registered with, and now and then a silence of 30 to 120 s (long
 * enough to go OFFLINE with a short heartbeat).
 */
final class SensorModel {

    /**
     * Thresholds the simulator registers: a wave of ±25 around 50 crosses the warning
     * bounds now and then.
     */
    static final double WARN_LOW = 25;

    static final double WARN_HIGH = 75;

    static final double CRIT_LOW = 10;

    static final double CRIT_HIGH = 90;

    private static final double SPIKE_PROBABILITY = 0.01;

    private final String id;

    private final double phase;

    private final double periodSeconds;

    private final Random random;

    private Instant silentUntil = Instant.MIN;

    private Instant lastTimestamp = Instant.MIN;

    SensorModel(String id, Random random) {
        this.id = id;
        this.random = random;
        this.phase = random.nextDouble() * 2 * Math.PI;
        this.periodSeconds = 120 + random.nextDouble() * 480;
    }

    String id() {
        return this.id;
    }

    /** Whether the sensor reports at {@code now}; may start a silence. */
    boolean reports(Instant now, double silenceProbabilityPerSecond, double elapsedSeconds) {
        if (now.isBefore(this.silentUntil)) {
            return false;
        }
        if (this.random.nextDouble() < silenceProbabilityPerSecond * elapsedSeconds) {
            this.silentUntil = now.plus(Duration.ofSeconds(30 + this.random.nextInt(91)));
            return false;
        }
        return true;
    }

    /** The value at {@code now}: wave, noise, and sometimes a spike. */
    double valueAt(Instant now) {
        double seconds = now.toEpochMilli() / 1000.0;
        double wave = 50 + 25 * Math.sin(2 * Math.PI * seconds / this.periodSeconds + this.phase);
        double noise = this.random.nextGaussian() * 2;
        double spike = (this.random.nextDouble() < SPIKE_PROBABILITY) ? (this.random.nextBoolean() ? 45 : -45) : 0;
        return Math.round((wave + noise + spike) * 100) / 100.0;
    }

    /**
     * A timestamp for a reading at {@code now}, strictly after the previous one (a
     * reading is (sensor, timestamp)).
     */
    Instant timestampAt(Instant now) {
        Instant millis = now.truncatedTo(ChronoUnit.MILLIS);
        Instant candidate = millis.isAfter(this.lastTimestamp) ? millis : this.lastTimestamp.plusMillis(1);
        this.lastTimestamp = candidate;
        return candidate;
    }

}
