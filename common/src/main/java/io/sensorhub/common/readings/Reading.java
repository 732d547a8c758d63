package io.sensorhub.common.readings;

import java.time.Instant;

import io.sensorhub.common.status.Status;
import io.sensorhub.common.status.Thresholds;

/**
 * One valid sensor reading (docs/ingest.md), identified by ({@code sensorId},
 * {@code timestamp}).
 *
 * @param sensorId the sensor, not yet checked to be registered
 * @param timestamp when the sensor took the reading, truncated to microseconds
 * (PostgreSQL's precision)
 * @param value the measured value, finite; null only when {@code reportedStatus} is given
 * @param reportedStatus the status the device reported itself, or null
 */
public record Reading(String sensorId, Instant timestamp, Double value, Status reportedStatus) {

    /**
     * The reading's status (docs/ingest.md): the reported one if any, else from the
     * sensor's thresholds.
     */
    public Status status(Thresholds thresholds) {
        return (this.reportedStatus != null) ? this.reportedStatus : thresholds.evaluate(this.value);
    }

    /** Whether the device reported the status itself. */
    public boolean statusReported() {
        return this.reportedStatus != null;
    }
}
