package io.sensorhub.crud.sensors;

import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.status.Thresholds;
import io.sensorhub.crud.web.FieldViolation;

/**
 * Whether thresholds are finite and ordered
 * {@code critLow <= warnLow < warnHigh <= critHigh}, for the ones given. Every pair of
 * given thresholds is compared, so an absent one in the middle does not hide a disorder
 * around it (the same rule as the {@code sensors_thresholds_ordered} constraint). And
 * whether a hysteresis fits them.
 */
final class ThresholdRules {

    private static final String[] NAMES = { "critLow", "warnLow", "warnHigh", "critHigh" };

    /**
     * Pairs (i, j) with i in the low half and j in the high half must be strictly
     * ordered.
     */
    private static final int FIRST_HIGH = 2;

    private ThresholdRules() {
    }

    static List<FieldViolation> violations(String prefix, Thresholds thresholds) {
        Double[] values = { thresholds.critLow(), thresholds.warnLow(), thresholds.warnHigh(), thresholds.critHigh() };
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && !Double.isFinite(values[i])) {
                violations.add(new FieldViolation(prefix + NAMES[i], "must be a finite number"));
            }
        }
        if (violations.isEmpty()) {
            addOrderViolations(prefix, values, violations);
        }
        return violations;
    }

    /**
     * Whether the hysteresis is finite and lets every status end: a WARNING (CRITICAL) is
     * kept while the value is within the hysteresis of warnLow or warnHigh (critLow or
     * critHigh), so a hysteresis of half their distance or more would keep it whatever
     * the value. Negative values are refused by the request's own validation.
     */
    static List<FieldViolation> hysteresisViolations(String field, double hysteresis, Thresholds thresholds) {
        if (!Double.isFinite(hysteresis)) {
            return List.of(new FieldViolation(field, "must be a finite number"));
        }
        List<FieldViolation> violations = new ArrayList<>();
        addBandViolation(field, hysteresis, thresholds.warnLow(), thresholds.warnHigh(), "warnLow and warnHigh",
                violations);
        if (violations.isEmpty()) {
            addBandViolation(field, hysteresis, thresholds.critLow(), thresholds.critHigh(), "critLow and critHigh",
                    violations);
        }
        return violations;
    }

    private static void addBandViolation(String field, double hysteresis, Double low, Double high, String bounds,
            List<FieldViolation> violations) {
        if (low != null && high != null && 2 * hysteresis >= high - low) {
            violations.add(new FieldViolation(field, "must be less than half the distance between " + bounds
                    + ", or the status they start could never end"));
        }
    }

    private static void addOrderViolations(String prefix, Double[] values, List<FieldViolation> violations) {
        for (int i = 0; i < values.length; i++) {
            for (int j = i + 1; j < values.length; j++) {
                if (values[i] != null && values[j] != null && !ordered(values[i], values[j], strict(i, j))) {
                    violations.add(new FieldViolation(prefix + NAMES[j], "must be "
                            + (strict(i, j) ? "greater than" : "greater than or equal to") + " " + NAMES[i]));
                }
            }
        }
    }

    private static boolean strict(int i, int j) {
        return i < FIRST_HIGH && j >= FIRST_HIGH;
    }

    private static boolean ordered(double low, double high, boolean strict) {
        return strict ? low < high : low <= high;
    }

}
