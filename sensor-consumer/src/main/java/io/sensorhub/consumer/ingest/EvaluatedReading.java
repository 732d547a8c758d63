package io.sensorhub.consumer.ingest;

import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.status.Status;

/**
 * A reading of a registered sensor with the status it has under that sensor's thresholds,
 * as stored with it. (The sensor's status may differ: hysteresis and minimum duration
 * depend on the sensor's state, see {@link io.sensorhub.consumer.status.StatusRules}.)
 *
 * @param reading the reading
 * @param status its status (reported, or from the thresholds alone)
 * @param message the position in the batch of the message that carried it (arrival order)
 */
record EvaluatedReading(Reading reading, Status status, int message) {

    String sensorId() {
        return this.reading.sensorId();
    }

    /** Identifies the reading (docs/ingest.md): sensor and timestamp. */
    ReadingKey key() {
        return new ReadingKey(this.reading.sensorId(), this.reading.timestamp());
    }

    /** The identity of a reading. */
    record ReadingKey(String sensorId, java.time.Instant timestamp) {
    }
}
