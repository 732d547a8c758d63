package io.sensorhub.notifier.watchdog;

import java.time.Instant;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.status.Status;

/**
 * The OFFLINE rule (docs/ingest.md): a sensor that has reported and then received nothing
 * for its heartbeat.
 */
public final class Silence {

    private Silence() {
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
     * The state after going OFFLINE: the next sequence; the newest reading (value,
     * timestamp) is kept.
     */
    public static SensorState offline(SensorState state, long sequence, Instant now) {
        return new SensorState(state.sensorId(), Status.OFFLINE, state.value(), state.reportedAt(), now, sequence,
                state.lastSeenAt());
    }

}
