package io.sensorhub.consumer.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The status rules of docs/ingest.md applied to a batch of new readings. */
class StatusTransitionsTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private static EvaluatedReading reading(String sensor, int minute, double value, Status status) {
        return reading(sensor, minute, value, status, 0);
    }

    private static EvaluatedReading reading(String sensor, int minute, double value, Status status, int message) {
        return new EvaluatedReading(new Reading(sensor, NOW.minusSeconds(3600 - minute * 60L), value, null), status,
                message);
    }

    @Test
    void firstReadingIsAChangeFromUnknown() {
        StatusTransitions.Outcome outcome = StatusTransitions.apply(Map.of("a", SensorState.unknown("a")),
                List.of(reading("a", 1, 50, Status.OK)), NOW);
        assertThat(outcome.changes()).singleElement().satisfies(change -> {
            assertThat(change.sequence()).isEqualTo(1);
            assertThat(change.previousStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(change.status()).isEqualTo(Status.OK);
        });
        assertThat(outcome.states()).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo(Status.OK);
            assertThat(state.since()).isEqualTo(NOW);
            assertThat(state.lastSeenAt()).isEqualTo(NOW);
        });
    }

    @Test
    void readingsOfOneSensorChangeStatusInTimestampOrderWhateverTheirOrderInTheBatch() {
        StatusTransitions.Outcome outcome = StatusTransitions.apply(Map.of("a", SensorState.unknown("a")),
                List.of(reading("a", 3, 50, Status.OK), reading("a", 1, 95, Status.CRITICAL),
                        reading("a", 2, 95, Status.CRITICAL)),
                NOW);
        assertThat(outcome.changes()).extracting(StatusChange::sequence, StatusChange::status)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, Status.CRITICAL),
                    org.assertj.core.groups.Tuple.tuple(2L, Status.OK));
        assertThat(outcome.states().get(0).value()).isEqualTo(50.0);
    }

    @Test
    void acrossMessagesArrivalOrderDecidesSoBatchingCannotChangeTheResult() {
        StatusTransitions.Outcome outcome = StatusTransitions.apply(Map.of("a", SensorState.unknown("a")),
                List.of(reading("a", 1, 95, Status.CRITICAL, 1), reading("a", 2, 50, Status.OK, 0)), NOW);
        assertThat(outcome.changes()).extracting(StatusChange::status).containsExactly(Status.OK);
        assertThat(outcome.states().get(0).value()).isEqualTo(50.0);
    }

    @Test
    void readingOlderThanTheNewestChangesNothingButLastSeen() {
        Instant newest = NOW.minusSeconds(60);
        SensorState current = new SensorState("a", Status.OK, 50.0, newest, newest, 4, newest);
        StatusTransitions.Outcome outcome = StatusTransitions.apply(Map.of("a", current),
                List.of(reading("a", 1, 95, Status.CRITICAL)), NOW);
        assertThat(outcome.changes()).isEmpty();
        assertThat(outcome.states()).containsExactly(new SensorState("a", Status.OK, 50.0, newest, newest, 4, NOW));
    }

    @Test
    void sameStatusUpdatesValueWithoutAChange() {
        Instant earlier = NOW.minusSeconds(3600);
        SensorState current = new SensorState("a", Status.OK, 50.0, earlier, earlier, 1, earlier);
        StatusTransitions.Outcome outcome = StatusTransitions.apply(Map.of("a", current),
                List.of(reading("a", 5, 60, Status.OK)), NOW);
        assertThat(outcome.changes()).isEmpty();
        assertThat(outcome.states().get(0)).extracting(SensorState::value, SensorState::since, SensorState::sequence)
            .containsExactly(60.0, earlier, 1L);
    }

    @Test
    void offlineSensorIsSetAgainByItsNextReading() {
        Instant earlier = NOW.minusSeconds(3600);
        SensorState offline = new SensorState("a", Status.OFFLINE, 50.0, earlier, NOW.minusSeconds(60), 7, earlier);
        StatusTransitions.Outcome outcome = StatusTransitions.apply(Map.of("a", offline),
                List.of(reading("a", 30, 50, Status.OK)), NOW);
        assertThat(outcome.changes()).singleElement()
            .extracting(StatusChange::sequence, StatusChange::previousStatus, StatusChange::status)
            .containsExactly(8L, Status.OFFLINE, Status.OK);
    }

}
