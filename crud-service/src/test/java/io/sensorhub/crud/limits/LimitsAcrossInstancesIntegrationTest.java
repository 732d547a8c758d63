package io.sensorhub.crud.limits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.sensorhub.common.test.TestServices;
import io.sensorhub.crud.CrudServiceApplication;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two crud-service instances over one database, as behind nginx: the limits hold for
 * requests spread over both, racing ones included.
 */
class LimitsAcrossInstancesIntegrationTest extends ApiIntegrationTest {

    private static final String URL = LimitsApiIntegrationTest.URL;

    private static ConfigurableApplicationContext second;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Value("${local.server.port}")
    private int firstPort;

    @BeforeAll
    static void startSecondInstance() {
        List<String> arguments = new ArrayList<>(TestServices.get().springArguments());
        arguments.addAll(List.of("--server.port=0", "--sensorhub.admin-token=" + ADMIN_TOKEN,
                "--sensorhub.secrets.key=" + SECRETS_KEY, "--spring.datasource.hikari.maximum-pool-size=20"));
        second = new SpringApplicationBuilder(CrudServiceApplication.class).run(arguments.toArray(String[]::new));
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void racingWebhookCreationsOnBothInstancesMakeExactlyTwenty() throws Exception {
        String token = newClientToken();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            responses.add(send(instance(i), token, "POST", "/api/v1/webhooks", "{\"url\": \"" + URL + "\"}"));
        }

        Map<Integer, Long> statuses = responses.stream()
            .map(CompletableFuture::join)
            .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 20L, 429, 10L));
        assertThat(webhookCount(token)).isEqualTo(20);
    }

    @Test
    void testEventsAlternatingBetweenInstancesShareOneLimit() throws Exception {
        String token = newClientToken();
        String webhook = this.json
            .readTree(send(0, token, "POST", "/api/v1/webhooks", "{\"url\": \"" + URL + "\"}").join().body())
            .get("id")
            .asString();
        for (int i = 0; i < 10; i++) {
            assertThat(
                    send(instance(i), token, "POST", "/api/v1/webhooks/" + webhook + "/test", null).join().statusCode())
                .isEqualTo(202);
        }
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> refused = send(i, token, "POST", "/api/v1/webhooks/" + webhook + "/test", null).join();
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.headers().firstValueAsLong("Retry-After").orElseThrow()).isBetween(1L, 60L);
        }
    }

    private String newClientToken() {
        JsonNode client = body(this.admin.post("/api/v1/clients", Map.of("name", "two-instances")));
        return client.get("token").asString();
    }

    private long webhookCount(String token) {
        return this.json.readTree(send(1, token, "GET", "/api/v1/webhooks?limit=500", null).join().body())
            .get("items")
            .size();
    }

    /** Instance 0 (this test's) or 1 (the second), by parity. */
    private static int instance(int i) {
        return i % 2;
    }

    private CompletableFuture<HttpResponse<String>> send(int instance, String token, String method, String path,
            String body) {
        int port = (instance == 0) ? this.firstPort
                : Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method,
                    (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
