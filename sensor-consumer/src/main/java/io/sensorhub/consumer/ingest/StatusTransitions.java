package io.sensorhub.consumer.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.StatusChange;

/**
 * The status rules of docs/ingest.md applied to newly stored readings: per sensor, in
 * arrival order, a reading newer than the sensor's newest becomes its current value, and
 * its status, if different, is a change numbered after the previous one; an older reading
 * changes nothing but the time the sensor was last seen.
 * <p>
 * Arrival order is the order of messages in the queue, and within one message (an array)
 * timestamp order: readings that arrive together are applied oldest first. So the result
 * depends only on the queue's order, never on how messages happen to be grouped into
 * batches, and one or N consumers agree.
 * <p>
 * The one change no reading causes, OFFLINE, is {@link OfflineTransition}, next to this.
 */
final class StatusTransitions {

    private StatusTransitions() {
    }

    /**
     * The new states and the changes caused by {@code stored}, readings just inserted
     * (never before seen).
     * @param current the locked current state of every sensor in {@code stored}
     * @param stored the newly stored readings, in any order
     * @param now the server time: the time the sensors were last seen and the changes
     * recorded
     */
    static Outcome apply(Map<String, SensorState> current, List<EvaluatedReading> stored, Instant now) {
        Map<String, SensorState> states = new LinkedHashMap<>();
        List<StatusChange> changes = new ArrayList<>();
        List<EvaluatedReading> ordered = new ArrayList<>(stored);
        ordered.sort(Comparator.comparing(EvaluatedReading::sensorId)
            .thenComparingInt(EvaluatedReading::message)
            .thenComparing(reading -> reading.reading().timestamp()));
        for (EvaluatedReading reading : ordered) {
            SensorState state = states.getOrDefault(reading.sensorId(), current.get(reading.sensorId()));
            states.put(reading.sensorId(), next(state, reading, now, changes));
        }
        return new Outcome(List.copyOf(states.values()), changes);
    }

    private static SensorState next(SensorState state, EvaluatedReading evaluated, Instant now,
            List<StatusChange> changes) {
        Instant timestamp = evaluated.reading().timestamp();
        Double value = evaluated.reading().value();
        if (state.reportedAt() != null && !timestamp.isAfter(state.reportedAt())) {
            return new SensorState(state.sensorId(), state.status(), state.value(), state.reportedAt(), state.since(),
                    state.sequence(), now);
        }
        if (evaluated.status() == state.status()) {
            return new SensorState(state.sensorId(), state.status(), value, timestamp, state.since(), state.sequence(),
                    now);
        }
        StatusChange change = StatusChange.after(state, evaluated.status(), value, timestamp, now);
        changes.add(change);
        return new SensorState(state.sensorId(), change.status(), value, timestamp, now, change.sequence(), now);
    }

    /**
     * What the stored readings did.
     *
     * @param states the new state of each sensor that got a reading
     * @param changes the status changes, per sensor in sequence order
     */
    record Outcome(List<SensorState> states, List<StatusChange> changes) {
    }

}
