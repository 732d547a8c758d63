package io.sensorhub.common.state;

import java.time.Instant;
import java.util.UUID;

import io.sensorhub.common.status.Status;

/**
 * One recorded change of a sensor's status, the source of one
 * {@code sensor.status_changed} event.
 *
 * @param eventId the event's id (the {@code webhook-id} of its deliveries)
 * @param sensorId the sensor
 * @param sequence per-sensor, 1, 2, 3, … without gaps
 * @param previousStatus the status before
 * @param status the status after
 * @param value the value of the reading that caused it (null for OFFLINE)
 * @param reportedAt the timestamp of the reading that caused it (null for OFFLINE)
 * @param changedAt when the change was recorded
 */
public record StatusChange(UUID eventId, String sensorId, long sequence, Status previousStatus, Status status,
        Double value, Instant reportedAt, Instant changedAt) {

    /** The change from {@code current} to {@code status}, numbered after it. */
    public static StatusChange after(SensorState current, Status status, Double value, Instant reportedAt,
            Instant changedAt) {
        return new StatusChange(UUID.randomUUID(), current.sensorId(), current.sequence() + 1, current.status(), status,
                value, reportedAt, changedAt);
    }
}
