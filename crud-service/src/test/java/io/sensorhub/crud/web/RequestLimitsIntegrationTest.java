package io.sensorhub.crud.web;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLimitsIntegrationTest extends ApiIntegrationTest {

    private static final int MIB = 1024 * 1024;

    @LocalServerPort
    private int port;

    @Test
    void aBodyOverOneMebibyteIsTooLarge() {
        Api client = newClient();
        byte[] body = ("{\"id\":\"big\",\"name\":\"" + "x".repeat(MIB) + "\"}").getBytes(StandardCharsets.UTF_8);
        problem(client.raw(HttpMethod.POST, "/api/v1/sensors", MediaType.APPLICATION_JSON_VALUE, body), 413);
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsTooLargeOverHttp() throws Exception {
        Api client = newClient();
        byte[] body = ("{\"id\":\"big\",\"name\":\"" + "x".repeat(2 * MIB) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/sensors"))
            .header("Authorization", "Bearer " + client.token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
        assertThat(this.json.readTree(response.body()).get("status").asInt()).isEqualTo(413);
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        Api client = newClient();
        byte[] body = ("{\"id\":\"" + sensorId("ok") + "\",\"name\":\"" + "x".repeat(MIB - 100) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        JsonNode problem = invalidField(
                client.raw(HttpMethod.POST, "/api/v1/sensors", MediaType.APPLICATION_JSON_VALUE, body), "name");
        assertThat(problem.get("errors").get(0).get("message").asString()).contains("200");
    }

    @Test
    void aWrongMediaTypeIsUnsupported() {
        Api client = newClient();
        byte[] body = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        problem(client.raw(HttpMethod.POST, "/api/v1/sensors", MediaType.TEXT_PLAIN_VALUE, body), 415);
        problem(client.raw(HttpMethod.POST, "/api/v1/webhooks", MediaType.APPLICATION_XML_VALUE, body), 415);
        problem(this.admin.raw(HttpMethod.POST, "/api/v1/clients", "application/x-www-form-urlencoded",
                "name=x".getBytes(StandardCharsets.UTF_8)), 415);
    }

    @Test
    void aWrongMethodIsAProblemToo() {
        problem(newClient().raw(HttpMethod.PUT, "/api/v1/webhooks", MediaType.APPLICATION_JSON_VALUE,
                "{}".getBytes(StandardCharsets.UTF_8)), 405);
        problem(this.admin.get("/api/v1/nothing-here"), 404);
    }

    @Test
    void mergePatchMediaTypeIsAccepted() {
        Api client = newClient();
        String id = sensorId("mp");
        client.createSensor(id);
        assertThat(client.raw(HttpMethod.PATCH, "/api/v1/sensors/" + id, "application/merge-patch+json",
                this.json.writeValueAsBytes(Map.of("unit", "K"))))
            .hasStatusOk();
    }

}
