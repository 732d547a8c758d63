package io.sensorhub.consumer.ingest;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sensorhub.common.readings.Reading;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Splitting a batch into sensor-disjoint parts for parallel transactions. */
class SensorPartitionsTest {

    private static Reading reading(String sensor, int second) {
        return new Reading(sensor, Instant.EPOCH.plusSeconds(second), 1.0, null);
    }

    @Test
    void everySensorLandsInOnePartWithItsReadingsInMessageOrder() {
        List<List<Reading>> batch = List.of(List.of(reading("a", 1), reading("b", 1)), List.of(),
                List.of(reading("c", 2), reading("a", 0)), List.of(reading("b", 3)));
        List<List<List<Reading>>> parts = SensorPartitions.split(batch, 2);
        assertThat(parts).hasSize(2).allSatisfy(part -> assertThat(part).hasSize(batch.size()));
        Set<String> seen = new HashSet<>();
        for (List<List<Reading>> part : parts) {
            Set<String> sensors = new HashSet<>();
            part.forEach(message -> message.forEach(reading -> sensors.add(reading.sensorId())));
            assertThat(sensors).noneMatch(seen::contains);
            seen.addAll(sensors);
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
        List<List<Reading>> partOfA = parts.stream()
            .filter(part -> part.get(0).stream().anyMatch(reading -> reading.sensorId().equals("a")))
            .findFirst()
            .orElseThrow();
        assertThat(partOfA.get(2)).contains(reading("a", 0));
        assertThat(partOfA.get(0)).contains(reading("a", 1));
    }

}
