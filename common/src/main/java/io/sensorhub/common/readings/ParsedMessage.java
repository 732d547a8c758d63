package io.sensorhub.common.readings;

import java.util.List;

/**
 * What one message holds: its valid readings and a rejection for each part that is
 * invalid.
 *
 * @param readings the valid readings, in message order
 * @param rejections the invalid parts (the whole message when it is not a reading or
 * array of readings)
 */
public record ParsedMessage(List<Reading> readings, List<Rejection> rejections) {

    public ParsedMessage {
        readings = List.copyOf(readings);
        rejections = List.copyOf(rejections);
    }

    static ParsedMessage rejected(Rejection rejection) {
        return new ParsedMessage(List.of(), List.of(rejection));
    }
}
