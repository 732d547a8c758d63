package io.sensorhub.crud.sensors;

import io.sensorhub.common.status.Thresholds;
import io.sensorhub.crud.web.FieldViolation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThresholdRulesTest {

    private static Thresholds thresholds(Double warnLow, Double warnHigh, Double critLow, Double critHigh) {
        return new Thresholds(warnLow, warnHigh, critLow, critHigh);
    }

    @Test
    void noThresholdsAreValid() {
        assertThat(ThresholdRules.violations("t.", Thresholds.NONE)).isEmpty();
    }

    @Test
    void equalCriticalAndWarningBoundsAreValid() {
        assertThat(ThresholdRules.violations("t.", thresholds(0.0, 10.0, 0.0, 10.0))).isEmpty();
    }

    @Test
    void warningBoundsMustDiffer() {
        assertThat(ThresholdRules.violations("t.", thresholds(5.0, 5.0, null, null))).extracting(FieldViolation::field)
            .containsExactly("t.warnHigh");
    }

    @Test
    void anAbsentThresholdInTheMiddleDoesNotHideADisorder() {
        assertThat(ThresholdRules.violations("t.", thresholds(null, null, 50.0, 10.0)))
            .extracting(FieldViolation::field)
            .containsExactly("t.critHigh");
        assertThat(ThresholdRules.violations("t.", thresholds(20.0, null, null, 20.0)))
            .extracting(FieldViolation::field)
            .containsExactly("t.critHigh");
        assertThat(ThresholdRules.violations("t.", thresholds(null, 5.0, 5.0, null))).extracting(FieldViolation::field)
            .containsExactly("t.warnHigh");
    }

    @Test
    void criticalLowAboveWarningLowIsRefused() {
        assertThat(ThresholdRules.violations("t.", thresholds(4.0, null, 5.0, null))).extracting(FieldViolation::field)
            .containsExactly("t.warnLow");
    }

    @Test
    void nonFiniteValuesAreRefusedBeforeOrdering() {
        assertThat(ThresholdRules.violations("t.", thresholds(Double.NaN, Double.POSITIVE_INFINITY, null, null)))
            .extracting(FieldViolation::field)
            .containsExactly("t.warnLow", "t.warnHigh");
    }

    @Test
    void aHysteresisMustBeLessThanHalfTheDistanceBetweenTheBoundsOfAStatus() {
        Thresholds all = thresholds(10.0, 80.0, 0.0, 90.0);
        assertThat(ThresholdRules.hysteresisViolations("h", 34.999, all)).isEmpty();
        assertThat(ThresholdRules.hysteresisViolations("h", 35, all)).extracting(FieldViolation::field)
            .containsExactly("h");
        assertThat(ThresholdRules.hysteresisViolations("h", 44.999, thresholds(null, null, 0.0, 90.0))).isEmpty();
        assertThat(ThresholdRules.hysteresisViolations("h", 45, thresholds(null, null, 0.0, 90.0)))
            .extracting(FieldViolation::message)
            .singleElement()
            .asString()
            .contains("critLow and critHigh");
    }

    @Test
    void aHysteresisWithOneBoundPerStatusCanBeAnyFiniteNumber() {
        assertThat(ThresholdRules.hysteresisViolations("h", 1e9, thresholds(10.0, null, null, 90.0))).isEmpty();
        assertThat(ThresholdRules.hysteresisViolations("h", 1e9, Thresholds.NONE)).isEmpty();
        assertThat(ThresholdRules.hysteresisViolations("h", Double.POSITIVE_INFINITY, Thresholds.NONE))
            .extracting(FieldViolation::message)
            .containsExactly("must be a finite number");
    }

}
