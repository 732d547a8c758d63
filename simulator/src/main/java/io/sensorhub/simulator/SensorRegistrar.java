package io.sensorhub.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Registers the simulated sensors through crud-service's REST API; a sensor that already
 * exists is fine.
 */
final class SensorRegistrar {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI sensors;

    private final String token;

    SensorRegistrar(URI api, String token) {
        this.sensors = api.resolve("/api/v1/sensors");
        this.token = token;
    }

    void register(String sensorId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(this.sensors)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + this.token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(sensorId)))
            .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IOException(
                    "Registering " + sensorId + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static String body(String sensorId) {
        return """
                {"id": "%s", "name": "Simulated sensor %s", "type": "simulated", "unit": "°C", "heartbeatSeconds": 30,
                 "thresholds": {"critLow": %s, "warnLow": %s, "warnHigh": %s, "critHigh": %s}}""".formatted(sensorId,
                sensorId, SensorModel.CRIT_LOW, SensorModel.WARN_LOW, SensorModel.WARN_HIGH, SensorModel.CRIT_HIGH);
    }

}
