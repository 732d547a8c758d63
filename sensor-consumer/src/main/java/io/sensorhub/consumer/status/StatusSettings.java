package io.sensorhub.consumer.status;

import io.sensorhub.common.status.Thresholds;

/**
 * What decides a sensor's status besides its readings, as a client set it through the API
 * (docs/ingest.md, status model).
 *
 * @param thresholds the thresholds, never null ({@link Thresholds#NONE} when none)
 * @param hysteresis how far (more than this) a value must be back inside a threshold
 * before the status it entered ends; 0 for none
 * @param minDurationSeconds how long, by reading timestamps, readings must indicate a new
 * status before it becomes current; 0 for at once
 */
public record StatusSettings(Thresholds thresholds, double hysteresis, int minDurationSeconds) {

    /** Thresholds alone: no hysteresis, no minimum duration. */
    public static StatusSettings of(Thresholds thresholds) {
        return new StatusSettings(thresholds, 0, 0);
    }

}
