package io.sensorhub.common.status;

import java.util.stream.Stream;

import io.sensorhub.common.readings.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The threshold rule of docs/ingest.md at every edge. */
class ThresholdsTest {

    /** critLow 10, warnLow 20, warnHigh 80, critHigh 90. */
    private static final Thresholds ALL = new Thresholds(20.0, 80.0, 10.0, 90.0);

    static Stream<Arguments> allThresholds() {
        return Stream.of(arguments(-1e300, Status.CRITICAL), arguments(9.999, Status.CRITICAL),
                arguments(10.0, Status.CRITICAL), // critLow is inclusive
                arguments(10.001, Status.WARNING), arguments(19.999, Status.WARNING), arguments(20.0, Status.WARNING), // warnLow
                                                                                                                       // is
                                                                                                                       // inclusive
                arguments(20.001, Status.OK), arguments(50.0, Status.OK), arguments(79.999, Status.OK),
                arguments(80.0, Status.WARNING), // warnHigh is inclusive
                arguments(89.999, Status.WARNING), arguments(90.0, Status.CRITICAL), // critHigh
                                                                                     // is
                                                                                     // inclusive
                arguments(1e300, Status.CRITICAL));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource
    void allThresholds(double value, Status expected) {
        assertThat(ALL.evaluate(value)).isEqualTo(expected);
    }

    static Stream<Arguments> absentThresholdsNeverMatch() {
        return Stream.of(arguments(Thresholds.NONE, -1e300, Status.OK), arguments(Thresholds.NONE, 0.0, Status.OK),
                arguments(Thresholds.NONE, 1e300, Status.OK),
                arguments(new Thresholds(null, 80.0, null, null), 80.0, Status.WARNING),
                arguments(new Thresholds(null, 80.0, null, null), -1e300, Status.OK),
                arguments(new Thresholds(20.0, null, null, null), 20.0, Status.WARNING),
                arguments(new Thresholds(20.0, null, null, null), 1e300, Status.OK),
                arguments(new Thresholds(null, null, 10.0, null), 10.0, Status.CRITICAL),
                arguments(new Thresholds(null, null, 10.0, null), 10.1, Status.OK),
                arguments(new Thresholds(null, null, null, 90.0), 90.0, Status.CRITICAL),
                arguments(new Thresholds(null, null, null, 90.0), 89.9, Status.OK),
                arguments(new Thresholds(null, 80.0, null, 90.0), 85.0, Status.WARNING),
                arguments(new Thresholds(20.0, null, 10.0, null), 15.0, Status.WARNING));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource
    void absentThresholdsNeverMatch(Thresholds thresholds, double value, Status expected) {
        assertThat(thresholds.evaluate(value)).isEqualTo(expected);
    }

    static Stream<Arguments> criticalWinsOverWarningAtEqualBounds() {
        return Stream.of(arguments(new Thresholds(10.0, 90.0, 10.0, 90.0), 10.0, Status.CRITICAL),
                arguments(new Thresholds(10.0, 90.0, 10.0, 90.0), 90.0, Status.CRITICAL),
                arguments(new Thresholds(10.0, 90.0, 10.0, 90.0), 10.5, Status.OK));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource
    void criticalWinsOverWarningAtEqualBounds(Thresholds thresholds, double value, Status expected) {
        assertThat(thresholds.evaluate(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "reported {0} wins over a CRITICAL value")
    @MethodSource("reportable")
    void explicitStatusWins(Status reported) {
        Reading reading = new Reading("s", java.time.Instant.EPOCH, 1e300, reported);
        assertThat(reading.status(ALL)).isEqualTo(reported);
    }

    static Stream<Status> reportable() {
        return Stream.of(Status.OK, Status.WARNING, Status.CRITICAL, Status.FAULT);
    }

    @Test
    void explicitStatusWinsWithoutValue() {
        assertThat(new Reading("s", java.time.Instant.EPOCH, null, Status.FAULT).status(ALL)).isEqualTo(Status.FAULT);
    }

    @Test
    void withoutReportedStatusTheThresholdsDecide() {
        assertThat(new Reading("s", java.time.Instant.EPOCH, 95.0, null).status(ALL)).isEqualTo(Status.CRITICAL);
    }

}
