package io.sensorhub.crud.sensors;

import io.sensorhub.common.status.Thresholds;

/**
 * What a client sets on a sensor, complete and validated.
 *
 * @param name display name
 * @param type free-form type, filterable
 * @param unit unit of the values
 * @param thresholds thresholds, never null ({@link Thresholds#NONE} when none)
 * @param heartbeatSeconds silence after which the sensor becomes OFFLINE
 * @param hysteresis how far (more than this) a value must be back inside a threshold to
 * leave the status it entered
 * @param minDurationSeconds how long readings must indicate a new status before it is
 * current
 */
record SensorSettings(String name, String type, String unit, Thresholds thresholds, int heartbeatSeconds,
        double hysteresis, int minDurationSeconds) {

    static final int DEFAULT_HEARTBEAT_SECONDS = 300;

    static int heartbeatOrDefault(Integer heartbeatSeconds) {
        return (heartbeatSeconds != null) ? heartbeatSeconds : DEFAULT_HEARTBEAT_SECONDS;
    }

    /** Absent: none (0), so a sensor decides as in v1. */
    static double hysteresisOrDefault(Double hysteresis) {
        return (hysteresis != null) ? hysteresis : 0;
    }

    /** Absent: none (0), a new status is current at once. */
    static int minDurationOrDefault(Integer minDurationSeconds) {
        return (minDurationSeconds != null) ? minDurationSeconds : 0;
    }
}
