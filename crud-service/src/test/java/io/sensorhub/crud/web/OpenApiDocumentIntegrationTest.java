package io.sensorhub.crud.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated OpenAPI document describes every endpoint, its errors as problem+json,
 * and the bearer scheme.
 */
class OpenApiDocumentIntegrationTest extends ApiIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private JsonNode document() {
        return body(this.mvc.get().uri("/v3/api-docs").exchange());
    }

    @Test
    void everyApiEndpointIsDocumented() {
        JsonNode paths = document().get("paths");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
            for (String pattern : mapping.getKey().getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                mapping.getKey().getMethodsCondition().getMethods().forEach(method -> {
                    JsonNode path = paths.get(pattern);
                    if (path == null || path.get(method.name().toLowerCase(Locale.ROOT)) == null) {
                        missing.add(method + " " + pattern);
                    }
                });
            }
        }
        assertThat(missing).isEmpty();
        assertThat(paths.propertyNames()).contains("/api/v1/clients", "/api/v1/sensors/{id}",
                "/api/v1/sensors/{id}/readings", "/api/v1/webhooks/{id}/deliveries",
                "/api/v1/deliveries/{id}/redeliver");
    }

    @Test
    void everyErrorResponseIsAProblemAndEveryOperationNeedsTheBearerToken() {
        JsonNode document = document();
        assertThat(document.get("components").get("securitySchemes").get("bearer").get("scheme").asString())
            .isEqualTo("bearer");
        assertThat(document.get("security").get(0).has("bearer")).isTrue();
        assertThat(document.get("components").get("schemas").get("Problem").get("properties").propertyNames())
            .contains("type", "title", "status", "detail", "errors");
        List<String> withoutSchema = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                operations++;
                JsonNode responses = operation.getValue().get("responses");
                assertThat(responses.propertyNames()).as(operation.getKey() + " " + path.getKey())
                    .contains("400", "401", "403");
                for (Map.Entry<String, JsonNode> response : responses.properties()) {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        JsonNode schema = response.getValue()
                            .path("content")
                            .path("application/problem+json")
                            .path("schema");
                        if (!schema.path("$ref").asString("").endsWith("/Problem")) {
                            withoutSchema.add(operation.getKey() + " " + path.getKey() + " " + response.getKey());
                        }
                    }
                }
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(22);
        assertThat(withoutSchema).isEmpty();
    }

    @Test
    void successStatusesAreDocumented() {
        JsonNode paths = document().get("paths");
        assertThat(paths.get("/api/v1/sensors").get("post").get("responses").has("201")).isTrue();
        assertThat(paths.get("/api/v1/sensors/{id}").get("delete").get("responses").has("204")).isTrue();
        assertThat(paths.get("/api/v1/webhooks/{id}/test").get("post").get("responses").has("202")).isTrue();
        assertThat(paths.get("/api/v1/sensors/{id}").get("put").get("responses").has("412")).isTrue();
        assertThat(paths.get("/api/v1/sensors").get("post").get("responses").has("415")).isTrue();
        JsonNode getSensor = paths.get("/api/v1/sensors/{id}").get("get");
        assertThat(getSensor.get("parameters").valueStream().map(parameter -> parameter.get("name").asString()))
            .containsExactly("id");
    }

    @Test
    void theDeliveryFiltersStatsResponseBodiesAndLimitsAreDocumented() {
        JsonNode document = document();
        JsonNode paths = document.get("paths");
        JsonNode list = paths.get("/api/v1/webhooks/{id}/deliveries").get("get");
        assertThat(list.get("parameters").valueStream().map(parameter -> parameter.get("name").asString()))
            .contains("state", "sensorId", "from", "to", "limit", "cursor");
        assertThat(paths.get("/api/v1/webhooks/{id}/stats").get("get").get("responses").has("404")).isTrue();
        JsonNode schemas = document.get("components").get("schemas");
        assertThat(schemas.get("AttemptResponse").get("properties").has("responseBody")).isTrue();
        assertThat(schemas.get("StatsResponse").get("properties").propertyNames()).contains("pending", "dead",
                "succeededLastHour", "failedLastHour", "latencyMs", "lastSuccessAt", "lastFailureAt", "lastError");
        for (String[] limited : new String[][] { { "/api/v1/webhooks", "post" },
                { "/api/v1/webhooks/{id}/test", "post" }, { "/api/v1/deliveries/{id}/redeliver", "post" },
                { "/api/v1/webhooks/{id}/recover", "post" } }) {
            JsonNode tooMany = paths.get(limited[0]).get(limited[1]).get("responses").get("429");
            assertThat(tooMany).as(limited[0]).isNotNull();
            assertThat(tooMany.get("headers").has("Retry-After")).isTrue();
        }
        assertThat(paths.get("/api/v1/sensors").get("post").get("responses").has("429")).isFalse();
    }

    @Test
    void swaggerUiIsServed() {
        assertThat(this.mvc.get().uri("/swagger-ui.html").exchange().getResponse().getStatus()).isIn(200, 302);
    }

}
