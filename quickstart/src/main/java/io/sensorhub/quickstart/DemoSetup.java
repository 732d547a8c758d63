package io.sensorhub.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates the demo client and its webhook through crud-service's REST API, as a user
 * would with curl.
 */
final class DemoSetup {

    /** What the demo needs to know afterwards. */
    record Demo(String clientToken, String webhookId, String webhookSecret) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ObjectMapper json = JsonMapper.builder().build();

    private final URI api;

    DemoSetup(URI api) {
        this.api = api;
    }

    Demo create(String adminToken, String receiverUrl) throws IOException, InterruptedException {
        JsonNode client = post("/api/v1/clients", adminToken, "{\"name\": \"Quickstart demo\"}");
        String clientToken = client.path("token").asString();
        JsonNode webhook = post("/api/v1/webhooks", clientToken,
                "{\"url\": \"" + receiverUrl + "\", \"description\": \"Quickstart demo receiver\"}");
        return new Demo(clientToken, webhook.path("id").asString(), webhook.path("secret").asString());
    }

    private JsonNode post(String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(this.api.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return this.json.readTree(response.body());
    }

}
