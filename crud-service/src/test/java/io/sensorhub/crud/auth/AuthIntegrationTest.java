package io.sensorhub.crud.auth;

import java.util.Map;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class AuthIntegrationTest extends ApiIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = { "/api/v1/clients", "/api/v1/sensors", "/api/v1/webhooks", "/api/v1/sensors/x/readings" })
    void noTokenIsUnauthorized(String path) {
        MvcTestResult result = this.mvc.get().uri(path).exchange();
        problem(result, 401);
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
    }

    @ParameterizedTest
    @ValueSource(
            strings = { "Bearer nope", "Bearer ", "Basic YWRtaW46YWRtaW4=", "bearer", "Bearer " + ADMIN_TOKEN + "x" })
    void anInvalidTokenIsUnauthorized(String authorization) {
        problem(this.mvc.get().uri("/api/v1/sensors").header(HttpHeaders.AUTHORIZATION, authorization).exchange(), 401);
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertThat(this.mvc.get()
            .uri("/api/v1/clients")
            .header(HttpHeaders.AUTHORIZATION, "bearer " + ADMIN_TOKEN)
            .exchange()).hasStatusOk();
    }

    @Test
    void theAdminTokenCannotManageSensorsOrWebhooks() {
        problem(this.admin.get("/api/v1/sensors"), 403);
        problem(this.admin.post("/api/v1/sensors", Map.of("id", sensorId("a"), "name", "a")), 403);
        problem(this.admin.get("/api/v1/webhooks"), 403);
        problem(this.admin.post("/api/v1/webhooks/00000000-0000-0000-0000-000000000000/test", null), 403);
    }

    @Test
    void aClientTokenCannotManageClients() {
        Api client = newClient();
        problem(client.get("/api/v1/clients"), 403);
        problem(client.post("/api/v1/clients", Map.of("name", "mine")), 403);
        problem(client.post("/api/v1/clients/" + client.clientId + "/token", null), 403);
    }

    @Test
    void rotatingATokenStopsTheOldOneAtOnce() {
        Api client = newClient();
        assertThat(client.get("/api/v1/sensors")).hasStatusOk();
        MvcTestResult rotated = this.admin.post("/api/v1/clients/" + client.clientId + "/token", null);
        assertThat(rotated).hasStatusOk();
        JsonNode body = body(rotated);
        String newToken = body.get("token").asString();
        assertThat(newToken).isNotEqualTo(client.token);
        assertThat(body.get("id").asString()).isEqualTo(client.clientId.toString());
        problem(client.get("/api/v1/sensors"), 401);
        assertThat(this.mvc.get()
            .uri("/api/v1/sensors")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + newToken)
            .exchange()).hasStatusOk();
        problem(this.admin.post("/api/v1/clients/00000000-0000-0000-0000-000000000000/token", null), 404);
    }

    @Test
    void deletingAClientRevokesItsTokenAndRemovesItsSensors() {
        Api client = newClient();
        String sensor = sensorId("owned");
        client.createSensor(sensor);
        assertThat(this.admin.delete("/api/v1/clients/" + client.clientId)).hasStatus(204);
        problem(client.get("/api/v1/sensors"), 401);
        assertThat(this.jdbc.sql("SELECT count(*) FROM sensors WHERE id = ?").param(sensor).query(Long.class).single())
            .isZero();
        problem(this.admin.get("/api/v1/clients/" + client.clientId), 404);
        problem(this.admin.delete("/api/v1/clients/" + client.clientId), 404);
    }

}
