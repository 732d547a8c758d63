package io.sensorhub.consumer.status;

import java.time.Instant;

import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorState.PendingStatus;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.status.Thresholds;

/**
 * The one place a sensor's status is decided (docs/ingest.md, status model): what a new
 * reading does ({@link #afterReading}, applied by the ingest) and what silence does
 * ({@link #goesOffline}, {@link #offline}, applied by the OFFLINE watchdog). Both are
 * applied to a state the caller holds locked, and answer the next state with the change
 * to record, if any.
 * <ul>
 * <li>A reading no newer than the sensor's newest changes nothing but the time it was
 * last seen: it neither interrupts nor completes a pending status.</li>
 * <li>A reading indicates the status it carries, if any (hysteresis is a matter of
 * thresholds, so a device's own status is taken as it is); else the status of its value
 * under the thresholds, entered inclusively, but a WARNING or CRITICAL current status is
 * kept while the value is no more than {@code hysteresis} back inside a threshold of that
 * status or a higher one.</li>
 * <li>A status other than the current one becomes current at once when the sensor has no
 * status from readings yet (UNKNOWN) or is OFFLINE, or when the minimum duration is 0;
 * else once readings have indicated it without interruption for the minimum duration,
 * from the timestamp of the first of them to that of the one completing it. Until then it
 * is pending; a reading indicating the current status ends the wait, one indicating a
 * third status starts a new one.</li>
 * </ul>
 */
public final class StatusRules {

    private StatusRules() {
    }

    /**
     * The state after a reading of the sensor, just stored for the first time.
     * @param state the sensor's current state, locked
     * @param reading the reading
     * @param settings the sensor's settings
     * @param now the server time: when the sensor was last seen and a change recorded
     */
    public static Decision afterReading(SensorState state, Reading reading, StatusSettings settings, Instant now) {
        Instant timestamp = reading.timestamp();
        if (state.reportedAt() != null && !timestamp.isAfter(state.reportedAt())) {
            return new Decision(new SensorState(state.sensorId(), state.status(), state.value(), state.reportedAt(),
                    state.since(), state.sequence(), now, state.pending()), null);
        }
        Status indicated = indicated(state.status(), reading, settings);
        if (indicated == state.status()) {
            return new Decision(withReading(state, reading, now, null), null);
        }
        PendingStatus pending = (state.pending() != null && state.pending().status() == indicated) ? state.pending()
                : new PendingStatus(indicated, timestamp);
        if (!becomesCurrent(state.status(), pending, timestamp, settings)) {
            return new Decision(withReading(state, reading, now, pending), null);
        }
        StatusChange change = StatusChange.after(state, indicated, reading.value(), timestamp, now);
        return new Decision(new SensorState(state.sensorId(), indicated, reading.value(), timestamp, now,
                change.sequence(), now, null), change);
    }

    /**
     * The status a reading indicates for a sensor whose current status is
     * {@code current}: the one it carries, else by the thresholds with hysteresis.
     */
    public static Status indicated(Status current, Reading reading, StatusSettings settings) {
        Status entered = reading.status(settings.thresholds());
        if (reading.statusReported()) {
            return entered;
        }
        Status kept = kept(current, reading.value(), settings);
        return (level(kept) > level(entered)) ? kept : entered;
    }

    /**
     * Whether a sensor in {@code state} with this heartbeat is silent at {@code now} and
     * not OFFLINE yet. Silence is measured on the server's clock, from when the newest
     * reading was received.
     */
    public static boolean goesOffline(SensorState state, int heartbeatSeconds, Instant now) {
        if (state.status() == Status.UNKNOWN || state.status() == Status.OFFLINE || state.lastSeenAt() == null) {
            return false;
        }
        return !state.lastSeenAt().plusSeconds(heartbeatSeconds).isAfter(now);
    }

    /**
     * Going OFFLINE, recorded at {@code now}, at once: the next sequence; no reading
     * caused it, so the change has no value and no reading timestamp, while the state
     * keeps its newest reading. A pending status is dropped.
     */
    public static Decision offline(SensorState state, Instant now) {
        StatusChange change = StatusChange.after(state, Status.OFFLINE, null, null, now);
        return new Decision(new SensorState(state.sensorId(), Status.OFFLINE, state.value(), state.reportedAt(), now,
                change.sequence(), state.lastSeenAt(), null), change);
    }

    /** The status the hysteresis keeps: OK when it keeps none. */
    private static Status kept(Status current, double value, StatusSettings settings) {
        Thresholds thresholds = settings.thresholds();
        double hysteresis = settings.hysteresis();
        if (current == Status.CRITICAL && near(value, thresholds.critLow(), thresholds.critHigh(), hysteresis)) {
            return Status.CRITICAL;
        }
        if (level(current) >= level(Status.WARNING)
                && near(value, thresholds.warnLow(), thresholds.warnHigh(), hysteresis)) {
            return Status.WARNING;
        }
        return Status.OK;
    }

    /**
     * Whether the value is at or beyond a bound, or back inside it by no more than the
     * hysteresis. An absent bound never matches.
     */
    private static boolean near(double value, Double low, Double high, double hysteresis) {
        return (low != null && value <= low + hysteresis) || (high != null && value >= high - hysteresis);
    }

    /** Thresholds' statuses by severity: CRITICAL above WARNING above the rest. */
    private static int level(Status status) {
        return switch (status) {
            case CRITICAL -> 2;
            case WARNING -> 1;
            default -> 0;
        };
    }

    private static boolean becomesCurrent(Status current, PendingStatus pending, Instant timestamp,
            StatusSettings settings) {
        if (current == Status.UNKNOWN || current == Status.OFFLINE) {
            return true;
        }
        return !timestamp.isBefore(pending.since().plusSeconds(settings.minDurationSeconds()));
    }

    /**
     * The state with this reading as its newest, the status unchanged.
     */
    private static SensorState withReading(SensorState state, Reading reading, Instant now, PendingStatus pending) {
        return new SensorState(state.sensorId(), state.status(), reading.value(), reading.timestamp(), state.since(),
                state.sequence(), now, pending);
    }

    /**
     * What a reading or silence did to a sensor.
     *
     * @param state the sensor's next state
     * @param change the change of status to record, or null when the status stays
     */
    public record Decision(SensorState state, StatusChange change) {
    }

}
