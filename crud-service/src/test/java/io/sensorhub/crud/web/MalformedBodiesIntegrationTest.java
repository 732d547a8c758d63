package io.sensorhub.crud.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Table-driven: every malformed body at every endpoint that reads one answers a 4xx
 * problem+json, never a 500 and never a success.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedBodiesIntegrationTest extends ApiIntegrationTest {

    private final List<Endpoint> endpoints = new ArrayList<>();

    record Endpoint(HttpMethod method, String path, boolean admin) {
    }

    @BeforeAll
    void createResources() {
        setUpAdminForAll();
        Api client = newClient();
        String sensor = sensorId("malformed");
        client.createSensor(sensor);
        String webhook = body(client.post("/api/v1/webhooks", Map.of("url", "https://8.8.8.8/"))).get("id").asString();
        this.clientToken = client.token;
        this.endpoints.addAll(List.of(new Endpoint(HttpMethod.POST, "/api/v1/clients", true),
                new Endpoint(HttpMethod.PATCH, "/api/v1/clients/" + client.clientId, true),
                new Endpoint(HttpMethod.POST, "/api/v1/sensors", false),
                new Endpoint(HttpMethod.PUT, "/api/v1/sensors/" + sensor, false),
                new Endpoint(HttpMethod.PATCH, "/api/v1/sensors/" + sensor, false),
                new Endpoint(HttpMethod.POST, "/api/v1/webhooks", false),
                new Endpoint(HttpMethod.PATCH, "/api/v1/webhooks/" + webhook, false),
                new Endpoint(HttpMethod.POST, "/api/v1/webhooks/" + webhook + "/recover", false)));
    }

    private String clientToken;

    private void setUpAdminForAll() {
        this.admin = new Api(ADMIN_TOKEN);
    }

    static Stream<Arguments> malformedBodies() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        return Stream.of(Arguments.of("wrong types", json("""
                {"id": 5, "name": ["x"], "thresholds": "high", "url": 7, "since": true, "sensorIds": "a",
                 "statuses": {"a": 1}, "enabled": "yes", "heartbeatSeconds": "300", "description": 3}""")),
                Arguments.of("nulls", json("""
                        {"id": null, "name": null, "url": null, "since": null}""")),
                Arguments.of("literal null", json("null")), Arguments.of("huge numbers", json("""
                        {"name": 1e400, "heartbeatSeconds": 99999999999999999999999, "thresholds": {"warnLow": 1e999},
                         "since": 99999999999999999999999999, "url": 1e400}""")),
                Arguments.of("NaN strings",
                        json("""
                                {"name": "NaN", "heartbeatSeconds": "NaN", "thresholds": {"warnLow": "NaN", "warnHigh": "Infinity"},
                                 "since": "NaN", "url": "NaN", "enabled": "NaN"}""")),
                Arguments.of("bare NaN", json("{\"heartbeatSeconds\": NaN, \"since\": NaN, \"name\": NaN}")),
                Arguments.of("deep nesting", json(deep)), Arguments.of("deep arrays", json("[".repeat(100_000))),
                Arguments.of("invalid UTF-8",
                        new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF,
                                '"', '}' }),
                Arguments.of("empty body", new byte[0]),
                Arguments.of("array instead of object", json("[{\"name\": \"x\", \"url\": \"https://8.8.8.8/\"}]")),
                Arguments.of("string instead of object", json("\"name\"")),
                Arguments.of("number instead of object", json("42")),
                Arguments.of("truncated", json("{\"name\": \"x\", \"url\": ")),
                Arguments.of("trailing garbage", json("{\"name\": \"x\"} trailing")),
                Arguments.of("huge string",
                        json("{\"name\": \"" + "x".repeat(100_000) + "\", \"url\": \"https://" + "a".repeat(100_000)
                                + ".com/\", \"id\": \"" + "y".repeat(1000) + "\", \"since\": \"x\"}")),
                Arguments.of("unknown field only", json("{\"colour\": \"red\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void isAnsweredWithAProblemAtEveryWriteEndpoint(String name, byte[] body) {
        SoftAssertions softly = new SoftAssertions();
        for (Endpoint endpoint : this.endpoints) {
            Api api = endpoint.admin() ? this.admin : new Api(this.clientToken);
            MvcTestResult result = api.raw(endpoint.method(), endpoint.path(), MediaType.APPLICATION_JSON_VALUE, body);
            int status = result.getResponse().getStatus();
            softly.assertThat(status).as("%s %s", endpoint.method(), endpoint.path()).isBetween(400, 499);
            softly.assertThat(result.getResponse().getContentType())
                .as("%s %s content type", endpoint.method(), endpoint.path())
                .startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }
        softly.assertAll();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
