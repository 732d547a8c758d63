package io.sensorhub.consumer.ingest;

import java.time.Instant;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;

/**
 * The OFFLINE rule of docs/ingest.md, the one status change no reading causes (the others
 * are {@link StatusTransitions}): a sensor that has reported and then received nothing
 * for its heartbeat goes OFFLINE, numbered after its previous change, keeping its newest
 * reading. Applied by the OFFLINE watchdog to a state it holds locked.
 */
public final class OfflineTransition {

    private OfflineTransition() {
    }

    /**
     * Whether a sensor in {@code state} with this heartbeat is silent at {@code now} and
     * not OFFLINE yet.
     */
    public static boolean goesOffline(SensorState state, int heartbeatSeconds, Instant now) {
        if (state.status() == Status.UNKNOWN || state.status() == Status.OFFLINE || state.lastSeenAt() == null) {
            return false;
        }
        return !state.lastSeenAt().plusSeconds(heartbeatSeconds).isAfter(now);
    }

    /**
     * The change to OFFLINE, recorded at {@code now}: no reading caused it, so it has no
     * value and no reading timestamp.
     */
    public static StatusChange change(SensorState state, Instant now) {
        return StatusChange.after(state, Status.OFFLINE, null, null, now);
    }

    /**
     * The state after going OFFLINE: the next sequence; the newest reading (value,
     * timestamp) is kept.
     */
    public static SensorState offline(SensorState state, long sequence, Instant now) {
        return new SensorState(state.sensorId(), Status.OFFLINE, state.value(), state.reportedAt(), now, sequence,
                state.lastSeenAt());
    }

}
