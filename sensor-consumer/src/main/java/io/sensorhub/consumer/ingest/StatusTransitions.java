package io.sensorhub.consumer.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.consumer.status.StatusRules;
import io.sensorhub.consumer.status.StatusSettings;

/**
 * The status rules of docs/ingest.md ({@link StatusRules}) applied to newly stored
 * readings, per sensor in arrival order, each reading to the state the previous one left.
 * <p>
 * Arrival order is the order of messages in the queue, and within one message (an array)
 * timestamp order: readings that arrive together are applied oldest first. So the result
 * depends only on the queue's order, never on how messages happen to be grouped into
 * batches, and one or N consumers agree.
 */
final class StatusTransitions {

    private StatusTransitions() {
    }

    /**
     * The new states and the changes caused by {@code stored}, readings just inserted
     * (never before seen).
     * @param current the locked current state of every sensor in {@code stored}
     * @param settings the settings of every sensor in {@code stored}
     * @param stored the newly stored readings, in any order
     * @param now the server time: the time the sensors were last seen and the changes
     * recorded
     */
    static Outcome apply(Map<String, SensorState> current, Map<String, StatusSettings> settings,
            List<EvaluatedReading> stored, Instant now) {
        Map<String, SensorState> states = new LinkedHashMap<>();
        List<StatusChange> changes = new ArrayList<>();
        List<EvaluatedReading> ordered = new ArrayList<>(stored);
        ordered.sort(Comparator.comparing(EvaluatedReading::sensorId)
            .thenComparingInt(EvaluatedReading::message)
            .thenComparing(reading -> reading.reading().timestamp()));
        for (EvaluatedReading reading : ordered) {
            SensorState state = states.getOrDefault(reading.sensorId(), current.get(reading.sensorId()));
            StatusRules.Decision decision = StatusRules.afterReading(state, reading.reading(),
                    settings.get(reading.sensorId()), now);
            if (decision.change() != null) {
                changes.add(decision.change());
            }
            states.put(reading.sensorId(), decision.state());
        }
        return new Outcome(List.copyOf(states.values()), changes);
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
