package io.sensorhub.crud.sensors;

import java.util.List;

import io.sensorhub.common.concurrent.AfterCommit;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.crud.sensors.SensorDtos.PendingResponse;
import io.sensorhub.crud.sensors.SensorDtos.StateResponse;
import org.springframework.stereotype.Component;

/**
 * Current sensor states: from the Redis cache written by sensor-consumer (through the
 * tracked in-memory copy of {@link NearStateCache}), read through from PostgreSQL's
 * {@code sensor_state} on a miss. The cache never throws, so Redis being down only costs
 * the fallback query.
 */
@Component
class SensorStates {

    private final NearStateCache near;

    private final SensorStateCache cache;

    private final SensorStateStore store;

    SensorStates(NearStateCache near, SensorStateCache cache, SensorStateStore store) {
        this.near = near;
        this.cache = cache;
        this.store = store;
    }

    /**
     * The sensor's current state: cached, else from PostgreSQL (and then cached in the
     * background), showing the acknowledgement if it is of this state's sequence.
     */
    StateResponse current(String sensorId, Acknowledgement acknowledgement) {
        SensorState state = this.near.find(sensorId).orElseGet(() -> readThrough(sensorId));
        PendingResponse pending = (state.pending() != null)
                ? new PendingResponse(state.pending().status().name(), state.pending().since()) : null;
        return new StateResponse(state.status().name(), state.value(), state.reportedAt(), state.since(),
                state.sequence(), pending, Acknowledgement.of(acknowledgement, state.sequence()));
    }

    private SensorState readThrough(String sensorId) {
        SensorState state = this.store.find(sensorId).orElseGet(() -> SensorState.unknown(sensorId));
        this.cache.putAfterCommit(List.of(state));
        return state;
    }

    /**
     * Forgets cached states once the current transaction commits, so a re-created id
     * starts clean.
     */
    void evictAfterCommit(List<String> sensorIds) {
        AfterCommit.run(() -> sensorIds.forEach(this::evict));
    }

    private void evict(String sensorId) {
        this.cache.evict(sensorId);
        this.near.invalidate(sensorId);
    }

}
