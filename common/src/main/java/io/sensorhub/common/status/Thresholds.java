package io.sensorhub.common.status;

/**
 * A sensor's thresholds; any may be null (absent). Inclusive: a value equal to a bound
 * matches it. Ordering ({@code critLow <= warnLow < warnHigh <= critHigh}) is enforced
 * where thresholds are saved.
 */
public record Thresholds(Double warnLow, Double warnHigh, Double critLow, Double critHigh) {

    public static final Thresholds NONE = new Thresholds(null, null, null, null);

    /**
     * The status of a value (docs/ingest.md, status model): CRITICAL beats WARNING, an
     * absent bound never matches.
     */
    public Status evaluate(double value) {
        if (atOrBelow(value, this.critLow) || atOrAbove(value, this.critHigh)) {
            return Status.CRITICAL;
        }
        if (atOrBelow(value, this.warnLow) || atOrAbove(value, this.warnHigh)) {
            return Status.WARNING;
        }
        return Status.OK;
    }

    private static boolean atOrBelow(double value, Double bound) {
        return bound != null && value <= bound;
    }

    private static boolean atOrAbove(double value, Double bound) {
        return bound != null && value >= bound;
    }
}
