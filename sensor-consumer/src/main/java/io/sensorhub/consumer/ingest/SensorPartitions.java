package io.sensorhub.consumer.ingest;

import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.readings.Reading;

/**
 * Splits a batch into parts with disjoint sensors, each keeping the batch's message
 * structure (arrival order).
 */
final class SensorPartitions {

    private SensorPartitions() {
    }

    /**
     * {@code parts} lists of per-message readings; a sensor's readings all land in the
     * same part.
     */
    static List<List<List<Reading>>> split(List<List<Reading>> batch, int parts) {
        List<List<List<Reading>>> split = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            List<List<Reading>> messages = new ArrayList<>(batch.size());
            batch.forEach(message -> messages.add(new ArrayList<>()));
            split.add(messages);
        }
        for (int message = 0; message < batch.size(); message++) {
            for (Reading reading : batch.get(message)) {
                split.get(Math.floorMod(reading.sensorId().hashCode(), parts)).get(message).add(reading);
            }
        }
        return split;
    }

}
