package io.sensorhub.crud.sensors;

/**
 * A sensor's thresholds (inclusive); an absent one never matches. Ordered
 * {@code critLow <= warnLow < warnHigh <= critHigh} where given (see
 * {@link ThresholdRules}).
 */
public record Thresholds(Double warnLow, Double warnHigh, Double critLow, Double critHigh) {

    static final Thresholds NONE = new Thresholds(null, null, null, null);

    static Thresholds orNone(Thresholds thresholds) {
        return (thresholds != null) ? thresholds : NONE;
    }
}
