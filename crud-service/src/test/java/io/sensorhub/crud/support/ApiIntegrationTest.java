package io.sensorhub.crud.support;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the API integration tests: the whole application against this run's PostgreSQL
 * and Redis, driven through MockMvc (filters included). All subclasses share one context;
 * every test makes its own clients and sensor ids, so tests do not depend on each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "sensorhub.admin-token=" + ApiIntegrationTest.ADMIN_TOKEN,
                "sensorhub.secrets.key=" + ApiIntegrationTest.SECRETS_KEY,
                // Entries expire only by notification within a test: what a test sees of
                // the token and sensor caches then never depends on how long the machine
                // took between two steps.
                "sensorhub.cache.ttl=1h" })
@AutoConfigureMockMvc
public abstract class ApiIntegrationTest {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

    /**
     * The key webhook secrets are encrypted with at rest (a test value, never a real
     * one).
     */
    public static final String SECRETS_KEY = "c2Vuc29yaHViLXRlc3Qta2V5LW5vdC1hLXNlY3JldCE=";

    @Autowired
    protected MockMvcTester mvc;

    @Autowired
    protected JsonMapper json;

    @Autowired
    protected JdbcClient jdbc;

    protected Api admin;

    @BeforeEach
    void setUpAdmin() {
        this.admin = new Api(ADMIN_TOKEN);
    }

    /** A new client; its API is driven with its own token. */
    protected Api newClient() {
        MvcTestResult result = this.admin.post("/api/v1/clients", Map.of("name", "client-" + UUID.randomUUID()));
        assertThat(result).hasStatus(201);
        JsonNode body = body(result);
        return new Api(body.get("token").asString(), UUID.fromString(body.get("id").asString()));
    }

    /** A sensor id no other test uses. */
    protected static String sensorId(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected JsonNode body(MvcTestResult result) {
        try {
            return this.json.readTree(result.getResponse().getContentAsByteArray());
        }
        catch (Exception ex) {
            throw new AssertionError("Response body is not JSON", ex);
        }
    }

    /** Asserts a problem+json answer with the given status, and returns its body. */
    protected JsonNode problem(MvcTestResult result, int status) {
        assertThat(result).hasStatus(status);
        assertThat(result.getResponse().getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JsonNode problem = body(result);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).startsWith("https://sensorhub.io/problems/");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }

    /** Asserts a 400 problem whose {@code errors} name the given field. */
    protected JsonNode invalidField(MvcTestResult result, String field) {
        JsonNode problem = problem(result, 400);
        assertThat(problem.get("errors")).isNotNull();
        assertThat(problem.get("errors").valueStream().map(error -> error.get("field").asString())).contains(field);
        return problem;
    }

    /** Requests made with one bearer token. */
    protected final class Api {

        public final String token;

        public final UUID clientId;

        public Api(String token) {
            this(token, null);
        }

        Api(String token, UUID clientId) {
            this.token = token;
            this.clientId = clientId;
        }

        public MvcTestResult get(String path) {
            return send(HttpMethod.GET, path, null, null);
        }

        public MvcTestResult post(String path, Object body) {
            return send(HttpMethod.POST, path, body, null);
        }

        public MvcTestResult put(String path, Object body, String ifMatch) {
            return send(HttpMethod.PUT, path, body, ifMatch);
        }

        public MvcTestResult patch(String path, Object body, String ifMatch) {
            return send(HttpMethod.PATCH, path, body, ifMatch);
        }

        public MvcTestResult delete(String path) {
            return send(HttpMethod.DELETE, path, null, null);
        }

        public MvcTestResult delete(String path, String ifMatch) {
            return send(HttpMethod.DELETE, path, null, ifMatch);
        }

        public MvcTestResult raw(HttpMethod method, String path, String contentType, byte[] body) {
            return ApiIntegrationTest.this.mvc
                .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request(method, path)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + this.token)
                    .contentType(contentType)
                    .content(body));
        }

        /** Creates a sensor with the given extra fields and returns its body. */
        public JsonNode createSensor(String id, Map<String, Object> fields) {
            Map<String, Object> body = new java.util.LinkedHashMap<>(fields);
            body.put("id", id);
            body.putIfAbsent("name", "Sensor " + id);
            MvcTestResult result = post("/api/v1/sensors", body);
            assertThat(result).hasStatus(201);
            return body(result);
        }

        public JsonNode createSensor(String id) {
            return createSensor(id, Map.of());
        }

        private MvcTestResult send(HttpMethod method, String path, Object body, String ifMatch) {
            MockMvcTester.MockMvcRequestBuilder request = ApiIntegrationTest.this.mvc.method(method)
                .uri(java.net.URI.create(path))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + this.token);
            if (ifMatch != null) {
                request = request.header(HttpHeaders.IF_MATCH, ifMatch);
            }
            if (body != null) {
                request = request.contentType(MediaType.APPLICATION_JSON)
                    .content(ApiIntegrationTest.this.json.writeValueAsBytes(body));
            }
            return request.exchange();
        }

    }

}
