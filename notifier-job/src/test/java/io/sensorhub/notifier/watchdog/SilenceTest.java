package io.sensorhub.notifier.watchdog;

import java.time.Instant;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.status.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SilenceTest {

    private static final Instant SEEN = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aSensorSilentForItsHeartbeatGoesOffline() {
        assertThat(Silence.goesOffline(state(Status.OK, SEEN), 300, SEEN.plusSeconds(300))).isTrue();
        assertThat(Silence.goesOffline(state(Status.CRITICAL, SEEN), 5, SEEN.plusSeconds(60))).isTrue();
    }

    @Test
    void aSensorHeardWithinItsHeartbeatStays() {
        assertThat(Silence.goesOffline(state(Status.OK, SEEN), 300, SEEN.plusSeconds(299))).isFalse();
    }

    @Test
    void aSensorThatNeverReportedOrIsOfflineAlreadyDoesNotGoOfflineAgain() {
        assertThat(Silence.goesOffline(SensorState.unknown("s"), 5, SEEN.plusSeconds(600))).isFalse();
        assertThat(Silence.goesOffline(state(Status.OFFLINE, SEEN), 5, SEEN.plusSeconds(600))).isFalse();
    }

    @Test
    void goingOfflineTakesTheNextSequenceAndKeepsTheNewestReading() {
        SensorState before = state(Status.WARNING, SEEN);
        SensorState after = Silence.offline(before, 8, SEEN.plusSeconds(301));
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
