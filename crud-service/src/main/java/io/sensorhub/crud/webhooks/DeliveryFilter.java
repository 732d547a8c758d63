package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.List;

import io.sensorhub.crud.sensors.SensorIds;
import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.Timestamps;

/**
 * Which of a webhook's deliveries to list: each field null for any. An empty parameter is
 * no filter; any other value that is not one the filter can take is a 400 naming it.
 *
 * @param state {@code pending}, {@code succeeded} or {@code dead}
 * @param sensorId the sensor whose status changes they deliver
 * @param from created at or after
 * @param to created before
 */
record DeliveryFilter(String state, String sensorId, Instant from, Instant to) {

    /** Every state a delivery can be in. */
    static final List<String> STATES = List.of("pending", "succeeded", "dead");

    static DeliveryFilter of(String state, String sensorId, String from, String to) {
        String wantedState = given(state);
        if (wantedState != null && !STATES.contains(wantedState)) {
            throw new InvalidInputException("state", "must be one of pending, succeeded, dead");
        }
        String wantedSensor = given(sensorId);
        if (wantedSensor != null && !SensorIds.isWellFormed(wantedSensor)) {
            throw new InvalidInputException("sensorId", "must be a sensor id ([A-Za-z0-9._:-]{1,64})");
        }
        Instant lower = (given(from) != null) ? Timestamps.parse("from", from) : null;
        Instant upper = (given(to) != null) ? Timestamps.parse("to", to) : null;
        if (lower != null && upper != null && !lower.isBefore(upper)) {
            throw new InvalidInputException("from", "must be before to");
        }
        return new DeliveryFilter(wantedState, wantedSensor, lower, upper);
    }

    /** The states to list: the one asked for, or all. */
    List<String> states() {
        return (this.state != null) ? List.of(this.state) : STATES;
    }

    private static String given(String parameter) {
        return (parameter == null || parameter.isEmpty()) ? null : parameter;
    }

}
