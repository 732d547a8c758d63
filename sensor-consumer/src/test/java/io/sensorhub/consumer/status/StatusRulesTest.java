package io.sensorhub.consumer.status;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorState.PendingStatus;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.status.Thresholds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status rules of docs/ingest.md at every edge: thresholds with hysteresis, minimum
 * duration with the pending status, device statuses, OFFLINE.
 */
class StatusRulesTest {

    /** critLow 0, warnLow 10, warnHigh 80, critHigh 90. */
    private static final Thresholds THRESHOLDS = new Thresholds(10.0, 80.0, 0.0, 90.0);

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    private static final Instant NOW = Instant.parse("2026-11-29T11:00:00Z");

    @ParameterizedTest(name = "{0} at {1} with hysteresis {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # entering is inclusive and unchanged by hysteresis
            OK       | 80     | 2 | WARNING
            OK       | 79.99  | 2 | OK
            OK       | 79     | 2 | OK
            OK       | 10     | 2 | WARNING
            OK       | 10.01  | 2 | OK
            OK       | 90     | 2 | CRITICAL
            OK       | 89.99  | 2 | WARNING
            OK       | 0      | 2 | CRITICAL
            WARNING  | 88     | 2 | WARNING
            WARNING  | 90     | 2 | CRITICAL
            UNKNOWN  | 79     | 2 | OK
            FAULT    | 79     | 2 | OK
            OFFLINE  | 79     | 2 | OK
            # high side: WARNING is kept down to 78 (exit exclusive at warnHigh - hysteresis)
            WARNING  | 79     | 2 | WARNING
            WARNING  | 78     | 2 | WARNING
            WARNING  | 77.9   | 2 | OK
            # low side: kept up to 12 (warnLow + hysteresis)
            WARNING  | 12     | 2 | WARNING
            WARNING  | 12.1   | 2 | OK
            # either side whichever the status came from
            WARNING  | 11     | 2 | WARNING
            # CRITICAL is kept down to 88 and up to 2, then falls to WARNING, kept by the warning bounds
            CRITICAL | 88     | 2 | CRITICAL
            CRITICAL | 87.9   | 2 | WARNING
            CRITICAL | 79     | 2 | WARNING
            CRITICAL | 78     | 2 | WARNING
            CRITICAL | 77.9   | 2 | OK
            CRITICAL | 2      | 2 | CRITICAL
            CRITICAL | 2.1    | 2 | WARNING
            CRITICAL | 12     | 2 | WARNING
            CRITICAL | 12.1   | 2 | OK
            CRITICAL | 50     | 2 | OK
            # no hysteresis: the thresholds alone
            WARNING  | 79.99  | 0 | OK
            CRITICAL | 89.99  | 0 | WARNING
            CRITICAL | 0.01   | 0 | WARNING
            """)
    void thresholdsWithHysteresis(Status current, double value, double hysteresis, Status expected) {
        Reading reading = new Reading("s", T0, value, null);
        assertThat(StatusRules.indicated(current, reading, new StatusSettings(THRESHOLDS, hysteresis, 0)))
            .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            WARNING  | 79  | WARNING
            WARNING  | 5   | OK
            CRITICAL | 79  | WARNING
            CRITICAL | 77  | OK
            """)
    void anAbsentThresholdKeepsNothing(Status current, double value, Status expected) {
        StatusSettings warnHighOnly = new StatusSettings(new Thresholds(null, 80.0, null, null), 2, 0);
        assertThat(StatusRules.indicated(current, new Reading("s", T0, value, null), warnHighOnly)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}, device reports {1} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            WARNING  | OK
            CRITICAL | WARNING
            OK       | FAULT
            FAULT    | OK
            """)
    void aStatusTheDeviceReportsIsTakenAsItIsWithoutHysteresis(Status current, Status reported) {
        Reading reading = new Reading("s", T0, 79.0, reported);
        assertThat(StatusRules.indicated(current, reading, new StatusSettings(THRESHOLDS, 2, 0))).isEqualTo(reported);
    }

    /**
     * Readings applied in arrival order to a sensor, each {@code seconds:value} (seconds
     * after T0; a status name for a reading that carries only a status). Expected: the
     * changes as {@code seconds:status}, the status after, and the pending status as
     * {@code status@seconds}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|',
            textBlock = """
                    # name                                          | from     | min | hyst | readings                          | changes          | status   | pending
                    completes exactly at the minimum duration       | OK       | 30  | 0    | 0:85 10:85 29:85 30:85            | 30:WARNING       | WARNING  | -
                    not a microsecond earlier                       | OK       | 30  | 0    | 0:85 29.999999:85                 | -                | OK       | WARNING@0
                    sparse readings: the first one at or after      | OK       | 30  | 0    | 0:85 100:85                       | 100:WARNING      | WARNING  | -
                    any value indicating it continues the wait      | OK       | 30  | 0    | 0:85 10:89 30:81                  | 30:WARNING       | WARNING  | -
                    the current status interrupts                   | OK       | 30  | 0    | 0:85 20:50 40:85 60:85            | -                | OK       | WARNING@40
                    after an interruption the wait starts again     | OK       | 30  | 0    | 0:85 20:50 40:85 70:85            | 70:WARNING       | WARNING  | -
                    another status restarts the wait                | OK       | 30  | 0    | 0:85 20:95 30:95 49:95            | -                | OK       | CRITICAL@20
                    and completes from its own first reading        | OK       | 30  | 0    | 0:85 20:95 30:95 50:95            | 50:CRITICAL      | CRITICAL | -
                    hysteresis keeps the current status: interrupts | WARNING  | 30  | 2    | 0:70 10:79 40:70 69:70            | -                | WARNING  | OK@40
                    then a sustained exit completes                 | WARNING  | 30  | 2    | 0:70 10:79 40:70 70:70            | 70:OK            | OK       | -
                    flapping across a threshold never completes     | OK       | 30  | 2    | 0:81 1:79 2:81 3:79 40:81 41:79   | -                | OK       | -
                    an older reading neither interrupts             | OK       | 30  | 0    | 0:85 20:85 10:50 30:85            | 30:WARNING       | WARNING  | -
                    nor completes                                   | OK       | 30  | 0    | 0:85 40:50 30:85                  | -                | OK       | -
                    nor starts a wait                               | OK       | 30  | 0    | 10:50 5:85                        | -                | OK       | -
                    a repeated timestamp changes nothing            | OK       | 30  | 0    | 0:85 20:85 20:50 30:85            | 30:WARNING       | WARNING  | -
                    the first status is immediate                   | UNKNOWN  | 30  | 0    | 0:85 10:50                        | 0:WARNING        | WARNING  | OK@10
                    leaving OFFLINE is immediate                    | OFFLINE  | 30  | 0    | 0:85                              | 0:WARNING        | WARNING  | -
                    no minimum duration: immediate                  | OK       | 0   | 0    | 0:85 1:50                         | 0:WARNING 1:OK   | OK       | -
                    a device status waits too                       | OK       | 30  | 0    | 0:FAULT 29:FAULT 30:FAULT         | 30:FAULT         | FAULT    | -
                    and is interrupted like any                     | OK       | 30  | 0    | 0:FAULT 10:50 20:FAULT 49:FAULT   | -                | OK       | FAULT@20
                    the device reporting the same status continues  | OK       | 30  | 0    | 0:85 10:WARNING 20:85 30:85       | 30:WARNING       | WARNING  | -
                    the device reporting the current one interrupts | OK       | 30  | 0    | 0:85 10:OK 20:85 49:85            | -                | OK       | WARNING@20
                    """)
    void minimumDuration(String name, Status from, int minDuration, double hysteresis, String readings, String changes,
            Status status, String pending) {
        StatusSettings settings = new StatusSettings(THRESHOLDS, hysteresis, minDuration);
        SensorState state = (from == Status.UNKNOWN) ? SensorState.unknown("s")
                : new SensorState("s", from, 50.0, T0.minusSeconds(1), T0.minusSeconds(3600), 5, T0.minusSeconds(1));
        List<String> recorded = new ArrayList<>();
        for (String token : readings.split(" ")) {
            StatusRules.Decision decision = StatusRules.afterReading(state, reading(token), settings, NOW);
            if (decision.change() != null) {
                recorded.add(seconds(decision.change().reportedAt()) + ":" + decision.change().status());
            }
            state = decision.state();
        }
        assertThat(recorded).isEqualTo(changes.equals("-") ? List.of() : Arrays.asList(changes.split(" ")));
        assertThat(state.status()).isEqualTo(status);
        assertThat((state.pending() != null) ? state.pending().status() + "@" + seconds(state.pending().since()) : "-")
            .isEqualTo(pending);
    }

    @Test
    void whilePendingTheStateShowsTheNewestReadingAndKeepsItsStatusSinceAndSequence() {
        SensorState current = new SensorState("s", Status.OK, 50.0, T0.minusSeconds(1), T0.minusSeconds(3600), 5,
                T0.minusSeconds(1));
        StatusSettings settings = new StatusSettings(THRESHOLDS, 0, 30);
        SensorState first = StatusRules.afterReading(current, new Reading("s", T0, 85.0, null), settings, NOW).state();
        StatusRules.Decision second = StatusRules.afterReading(first, new Reading("s", T0.plusSeconds(10), 86.0, null),
                settings, NOW.plusSeconds(1));
        assertThat(second.change()).isNull();
        assertThat(second.state()).isEqualTo(new SensorState("s", Status.OK, 86.0, T0.plusSeconds(10),
                T0.minusSeconds(3600), 5, NOW.plusSeconds(1), new PendingStatus(Status.WARNING, T0)));
    }

    @Test
    void theChangeCarriesTheReadingThatCompletedTheDuration() {
        SensorState pending = new SensorState("s", Status.OK, 86.0, T0.plusSeconds(10), T0.minusSeconds(3600), 5,
                T0.plusSeconds(10), new PendingStatus(Status.WARNING, T0));
        StatusRules.Decision decision = StatusRules.afterReading(pending,
                new Reading("s", T0.plusSeconds(30), 81.5, null), new StatusSettings(THRESHOLDS, 0, 30), NOW);
        StatusChange change = decision.change();
        assertThat(change)
            .extracting(StatusChange::sequence, StatusChange::previousStatus, StatusChange::status, StatusChange::value,
                    StatusChange::reportedAt, StatusChange::changedAt)
            .containsExactly(6L, Status.OK, Status.WARNING, 81.5, T0.plusSeconds(30), NOW);
        assertThat(decision.state())
            .isEqualTo(new SensorState("s", Status.WARNING, 81.5, T0.plusSeconds(30), NOW, 6, NOW, null));
    }

    @Test
    void aLateReadingUpdatesOnlyTheTimeLastSeenAndKeepsThePendingStatus() {
        SensorState pending = new SensorState("s", Status.OK, 86.0, T0.plusSeconds(10), T0.minusSeconds(3600), 5,
                T0.plusSeconds(10), new PendingStatus(Status.WARNING, T0));
        StatusRules.Decision decision = StatusRules.afterReading(pending,
                new Reading("s", T0.plusSeconds(5), 50.0, null), new StatusSettings(THRESHOLDS, 0, 30), NOW);
        assertThat(decision.change()).isNull();
        assertThat(decision.state()).isEqualTo(new SensorState("s", Status.OK, 86.0, T0.plusSeconds(10),
                T0.minusSeconds(3600), 5, NOW, new PendingStatus(Status.WARNING, T0)));
    }

    @ParameterizedTest(name = "{0}, last seen {1}s before, heartbeat {2}s -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            OK       | 300 | 300 | true
            OK       | 299 | 300 | false
            CRITICAL | 60  | 5   | true
            UNKNOWN  | 600 | 5   | false
            OFFLINE  | 600 | 5   | false
            """)
    void aSensorSilentForItsHeartbeatGoesOffline(Status status, int silentSeconds, int heartbeat, boolean offline) {
        SensorState state = new SensorState("s", status, 21.5, T0.minusSeconds(1), T0.minusSeconds(100), 7, T0);
        assertThat(StatusRules.goesOffline(state, heartbeat, T0.plusSeconds(silentSeconds))).isEqualTo(offline);
    }

    @Test
    void goingOfflineIsImmediateTakesTheNextSequenceKeepsTheNewestReadingAndDropsThePendingStatus() {
        SensorState before = new SensorState("s", Status.WARNING, 21.5, T0.minusSeconds(1), T0.minusSeconds(100), 7, T0,
                new PendingStatus(Status.OK, T0.minusSeconds(20)));
        StatusRules.Decision decision = StatusRules.offline(before, T0.plusSeconds(301));
        assertThat(decision.change())
            .extracting(StatusChange::sensorId, StatusChange::sequence, StatusChange::previousStatus,
                    StatusChange::status, StatusChange::value, StatusChange::reportedAt, StatusChange::changedAt)
            .containsExactly("s", 8L, Status.WARNING, Status.OFFLINE, null, null, T0.plusSeconds(301));
        assertThat(decision.state()).isEqualTo(
                new SensorState("s", Status.OFFLINE, 21.5, T0.minusSeconds(1), T0.plusSeconds(301), 8, T0, null));
    }

    /**
     * {@code seconds:value} or {@code seconds:STATUS}, seconds after T0 (decimals
     * allowed).
     */
    private static Reading reading(String token) {
        String[] parts = token.split(":");
        Instant at = T0.plusNanos(new BigDecimal(parts[0]).movePointRight(9).longValueExact());
        if (Character.isLetter(parts[1].charAt(0))) {
            return new Reading("s", at, null, Status.valueOf(parts[1]));
        }
        return new Reading("s", at, Double.valueOf(parts[1]), null);
    }

    private static String seconds(Instant at) {
        BigDecimal seconds = BigDecimal.valueOf(at.getEpochSecond() - T0.getEpochSecond())
            .add(BigDecimal.valueOf(at.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString();
    }

}
