package io.sensorhub.crud.sensors;

import java.time.Instant;

import io.sensorhub.crud.sensors.SensorDtos.AcknowledgedResponse;

/**
 * A sensor's latest acknowledgement, as {@code sensor_acknowledgements} holds it: it
 * stands for the status of the sequence it was made at, and shows in the sensor's state
 * only while that is still the state's sequence (the next status change ends it).
 *
 * @param sequence the sensor's sequence when it was acknowledged
 * @param at when
 * @param comment the client's comment, if any
 */
record Acknowledgement(long sequence, Instant at, String comment) {

    /** What the state of this sequence shows: this acknowledgement if it is its own. */
    static AcknowledgedResponse of(Acknowledgement acknowledgement, long sequence) {
        return (acknowledgement != null && acknowledgement.sequence == sequence)
                ? new AcknowledgedResponse(acknowledgement.at, acknowledgement.comment) : null;
    }

}
