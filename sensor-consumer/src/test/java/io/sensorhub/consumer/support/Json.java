package io.sensorhub.consumer.support;

import java.time.Instant;

/** Reading bodies for tests. */
public final class Json {

    private Json() {
    }

    public static String reading(String sensorId, Instant timestamp, double value) {
        return "{\"sensorId\":\"" + sensorId + "\",\"timestamp\":\"" + timestamp + "\",\"value\":" + value + "}";
    }

    public static String reported(String sensorId, Instant timestamp, String status) {
        return "{\"sensorId\":\"" + sensorId + "\",\"timestamp\":\"" + timestamp + "\",\"status\":\"" + status + "\"}";
    }

    public static String array(String... readings) {
        return "[" + String.join(",", readings) + "]";
    }

}
