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
 */
record SensorSettings(String name, String type, String unit, Thresholds thresholds, int heartbeatSeconds) {

    static final int DEFAULT_HEARTBEAT_SECONDS = 300;

    static int heartbeatOrDefault(Integer heartbeatSeconds) {
        return (heartbeatSeconds != null) ? heartbeatSeconds : DEFAULT_HEARTBEAT_SECONDS;
    }
}
