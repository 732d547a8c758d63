package io.sensorhub.common.state;

import java.time.Instant;

import io.sensorhub.common.status.Status;

/**
 * A sensor's current state, as in {@code sensor_state}.
 *
 * @param sensorId the sensor
 * @param status the current status
 * @param value the value of the newest reading, if any
 * @param reportedAt the timestamp of the newest reading (null before the first)
 * @param since when the current status began
 * @param sequence the sequence of the latest status change (0 before the first)
 * @param lastSeenAt server time the latest reading was received (not cached in Redis)
 * @param pending the status that readings indicate but that has not lasted the sensor's
 * minimum duration yet; null when none
 */
public record SensorState(String sensorId, Status status, Double value, Instant reportedAt, Instant since,
        long sequence, Instant lastSeenAt, PendingStatus pending) {

    /** A state with nothing pending. */
    public SensorState(String sensorId, Status status, Double value, Instant reportedAt, Instant since, long sequence,
            Instant lastSeenAt) {
        this(sensorId, status, value, reportedAt, since, sequence, lastSeenAt, null);
    }

    /** The state of a sensor that never reported. */
    public static SensorState unknown(String sensorId) {
        return new SensorState(sensorId, Status.UNKNOWN, null, null, null, 0, null);
    }

    /**
     * Whether this state is at least as new as {@code other}: a higher sequence, or the
     * same sequence with a reading timestamp not older. This is the order the cache never
     * moves backwards in.
     */
    public boolean notOlderThan(SensorState other) {
        if (this.sequence != other.sequence) {
            return this.sequence > other.sequence;
        }
        return reportedAtMicros() >= other.reportedAtMicros();
    }

    /**
     * The reading timestamp in microseconds since the epoch (PostgreSQL's precision), -1
     * before the first.
     */
    public long reportedAtMicros() {
        if (this.reportedAt == null) {
            return -1;
        }
        return Math.addExact(Math.multiplyExact(this.reportedAt.getEpochSecond(), 1_000_000L),
                this.reportedAt.getNano() / 1_000L);
    }

    /**
     * A status that readings indicate without interruption since {@code since} and that
     * becomes current once they have done so for the sensor's minimum duration
     * (docs/ingest.md).
     *
     * @param status the status waiting
     * @param since the timestamp of the first reading that indicated it
     */
    public record PendingStatus(Status status, Instant since) {
    }

}
