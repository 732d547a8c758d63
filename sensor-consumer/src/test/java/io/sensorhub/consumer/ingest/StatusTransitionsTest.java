package io.sensorhub.consumer.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.status.Thresholds;
import io.sensorhub.consumer.status.StatusSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The status rules of docs/ingest.md applied to a batch of new readings. */
class StatusTransitionsTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    /** OK between 20 and 80 exclusive, WARNING up to 10/90, CRITICAL beyond. */
    private static final StatusSettings SETTINGS = StatusSettings.of(new Thresholds(20.0, 80.0, 10.0, 90.0));

    private static StatusTransitions.Outcome apply(SensorState current, List<EvaluatedReading> readings) {
        return apply(current, SETTINGS, readings);
    }

    private static StatusTransitions.Outcome apply(SensorState current, StatusSettings settings,
            List<EvaluatedReading> readings) {
        return StatusTransitions.apply(Map.of("a", current), Map.of("a", settings), readings, NOW);
    }

    private static EvaluatedReading reading(String sensor, int minute, double value, Status status) {
        return reading(sensor, minute, value, status, 0);
    }

    private static EvaluatedReading reading(String sensor, int minute, double value, Status status, int message) {
        return new EvaluatedReading(new Reading(sensor, NOW.minusSeconds(3600 - minute * 60L), value, null), status,
                message);
    }

    @Test
    void firstReadingIsAChangeFromUnknown() {
        StatusTransitions.Outcome outcome = apply(SensorState.unknown("a"), List.of(reading("a", 1, 50, Status.OK)));
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
        StatusTransitions.Outcome outcome = apply(SensorState.unknown("a"), List.of(reading("a", 3, 50, Status.OK),
                reading("a", 1, 95, Status.CRITICAL), reading("a", 2, 95, Status.CRITICAL)));
        assertThat(outcome.changes()).extracting(StatusChange::sequence, StatusChange::status)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, Status.CRITICAL),
                    org.assertj.core.groups.Tuple.tuple(2L, Status.OK));
        assertThat(outcome.states().get(0).value()).isEqualTo(50.0);
    }

    @Test
    void acrossMessagesArrivalOrderDecidesSoBatchingCannotChangeTheResult() {
        StatusTransitions.Outcome outcome = apply(SensorState.unknown("a"),
                List.of(reading("a", 1, 95, Status.CRITICAL, 1), reading("a", 2, 50, Status.OK, 0)));
        assertThat(outcome.changes()).extracting(StatusChange::status).containsExactly(Status.OK);
        assertThat(outcome.states().get(0).value()).isEqualTo(50.0);
    }

    @Test
    void readingOlderThanTheNewestChangesNothingButLastSeen() {
        Instant newest = NOW.minusSeconds(60);
        SensorState current = new SensorState("a", Status.OK, 50.0, newest, newest, 4, newest);
        StatusTransitions.Outcome outcome = apply(current, List.of(reading("a", 1, 95, Status.CRITICAL)));
        assertThat(outcome.changes()).isEmpty();
        assertThat(outcome.states()).containsExactly(new SensorState("a", Status.OK, 50.0, newest, newest, 4, NOW));
    }

    @Test
    void sameStatusUpdatesValueWithoutAChange() {
        Instant earlier = NOW.minusSeconds(3600);
        SensorState current = new SensorState("a", Status.OK, 50.0, earlier, earlier, 1, earlier);
        StatusTransitions.Outcome outcome = apply(current, List.of(reading("a", 5, 60, Status.OK)));
        assertThat(outcome.changes()).isEmpty();
        assertThat(outcome.states().get(0)).extracting(SensorState::value, SensorState::since, SensorState::sequence)
            .containsExactly(60.0, earlier, 1L);
    }

    @Test
    void offlineSensorIsSetAgainByItsNextReading() {
        Instant earlier = NOW.minusSeconds(3600);
        SensorState offline = new SensorState("a", Status.OFFLINE, 50.0, earlier, NOW.minusSeconds(60), 7, earlier);
        StatusTransitions.Outcome outcome = apply(offline, List.of(reading("a", 30, 50, Status.OK)));
        assertThat(outcome.changes()).singleElement()
            .extracting(StatusChange::sequence, StatusChange::previousStatus, StatusChange::status)
            .containsExactly(8L, Status.OFFLINE, Status.OK);
    }

    @Test
    void aPendingStatusIsCarriedFromBatchToBatchWithTheSameResultAsInOneBatch() {
        StatusSettings twoMinutes = new StatusSettings(SETTINGS.thresholds(), 0, 120);
        Instant earlier = NOW.minusSeconds(3600);
        SensorState ok = new SensorState("a", Status.OK, 50.0, earlier, earlier, 3, earlier);
        List<EvaluatedReading> readings = List.of(reading("a", 1, 85, Status.WARNING),
                reading("a", 2, 86, Status.WARNING), reading("a", 3, 87, Status.WARNING));

        SensorState state = ok;
        List<StatusChange> changes = new java.util.ArrayList<>();
        for (EvaluatedReading reading : readings) {
            StatusTransitions.Outcome outcome = apply(state, twoMinutes, List.of(reading));
            changes.addAll(outcome.changes());
            state = outcome.states().get(0);
            if (changes.isEmpty()) {
                assertThat(state.pending())
                    .isEqualTo(new SensorState.PendingStatus(Status.WARNING, readings.get(0).reading().timestamp()));
            }
        }
        StatusTransitions.Outcome together = apply(ok, twoMinutes,
                List.of(readings.get(2), readings.get(0), readings.get(1)));

        assertThat(changes).singleElement()
            .extracting(StatusChange::status, StatusChange::value, StatusChange::reportedAt)
            .containsExactly(Status.WARNING, 87.0, readings.get(2).reading().timestamp());
        assertThat(together.changes()).singleElement()
            .extracting(StatusChange::status, StatusChange::value, StatusChange::reportedAt)
            .containsExactly(Status.WARNING, 87.0, readings.get(2).reading().timestamp());
        assertThat(together.states()).containsExactly(state);
    }

    @Test
    void aReadingOfAnEarlierMessageOlderThanTheNewestDoesNotInterruptAPendingStatus() {
        StatusSettings twoMinutes = new StatusSettings(SETTINGS.thresholds(), 0, 120);
        Instant earlier = NOW.minusSeconds(3600);
        SensorState ok = new SensorState("a", Status.OK, 50.0, earlier, earlier, 3, earlier);
        StatusTransitions.Outcome outcome = apply(ok, twoMinutes, List.of(reading("a", 1, 85, Status.WARNING, 0),
                reading("a", 4, 85, Status.WARNING, 0), reading("a", 2, 50, Status.OK, 1)));
        assertThat(outcome.changes()).singleElement()
            .extracting(StatusChange::status, StatusChange::reportedAt)
            .containsExactly(Status.WARNING, NOW.minusSeconds(3600 - 4 * 60));
    }

}
