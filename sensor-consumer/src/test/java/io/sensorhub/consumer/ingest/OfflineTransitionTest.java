package io.sensorhub.consumer.ingest;

import java.time.Instant;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The OFFLINE rule of docs/ingest.md. */
class OfflineTransitionTest {

    private static final Instant SEEN = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aSensorSilentForItsHeartbeatGoesOffline() {
        assertThat(OfflineTransition.goesOffline(state(Status.OK, SEEN), 300, SEEN.plusSeconds(300))).isTrue();
        assertThat(OfflineTransition.goesOffline(state(Status.CRITICAL, SEEN), 5, SEEN.plusSeconds(60))).isTrue();
    }

    @Test
    void aSensorHeardWithinItsHeartbeatStays() {
        assertThat(OfflineTransition.goesOffline(state(Status.OK, SEEN), 300, SEEN.plusSeconds(299))).isFalse();
    }

    @Test
    void aSensorThatNeverReportedOrIsOfflineAlreadyDoesNotGoOfflineAgain() {
        assertThat(OfflineTransition.goesOffline(SensorState.unknown("s"), 5, SEEN.plusSeconds(600))).isFalse();
        assertThat(OfflineTransition.goesOffline(state(Status.OFFLINE, SEEN), 5, SEEN.plusSeconds(600))).isFalse();
    }

    @Test
    void theChangeToOfflineIsNumberedAfterThePreviousAndCarriesNoReading() {
        StatusChange change = OfflineTransition.change(state(Status.WARNING, SEEN), SEEN.plusSeconds(301));
        assertThat(change.sensorId()).isEqualTo("s");
        assertThat(change.sequence()).isEqualTo(8);
        assertThat(change.previousStatus()).isEqualTo(Status.WARNING);
        assertThat(change.status()).isEqualTo(Status.OFFLINE);
        assertThat(change.value()).isNull();
        assertThat(change.reportedAt()).isNull();
        assertThat(change.changedAt()).isEqualTo(SEEN.plusSeconds(301));
    }

    @Test
    void goingOfflineTakesTheNextSequenceAndKeepsTheNewestReading() {
        SensorState before = state(Status.WARNING, SEEN);
        SensorState after = OfflineTransition.offline(before, 8, SEEN.plusSeconds(301));
        assertThat(after.status()).isEqualTo(Status.OFFLINE);
        assertThat(after.sequence()).isEqualTo(8);
        assertThat(after.since()).isEqualTo(SEEN.plusSeconds(301));
        assertThat(after.value()).isEqualTo(before.value());
        assertThat(after.reportedAt()).isEqualTo(before.reportedAt());
        assertThat(after.lastSeenAt()).isEqualTo(SEEN);
    }

    private static SensorState state(Status status, Instant seen) {
        return new SensorState("s", status, 21.5, seen.minusSeconds(1), seen.minusSeconds(100), 7, seen);
    }

}
