package io.sensorhub.crud.clients;

import java.util.Map;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ClientsApiIntegrationTest extends ApiIntegrationTest {

    @Test
    void createShowsTheTokenOnceAndStoresOnlyItsHash() {
        MvcTestResult created = this.admin.post("/api/v1/clients", Map.of("name", "acme"));
        assertThat(created).hasStatus(201);
        JsonNode body = body(created);
        assertThat(body.get("name").asString()).isEqualTo("acme");
        assertThat(body.get("createdAt").asString()).endsWith("Z");
        String token = body.get("token").asString();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(created.getResponse().getHeader("Location")).endsWith("/api/v1/clients/" + body.get("id").asString());
        byte[] stored = this.jdbc.sql("SELECT token_hash FROM clients WHERE id = ?::uuid")
            .param(body.get("id").asString())
            .query(byte[].class)
            .single();
        assertThat(stored).hasSize(32).isNotEqualTo(token.getBytes());

        JsonNode read = body(this.admin.get("/api/v1/clients/" + body.get("id").asString()));
        assertThat(read.has("token")).isFalse();
        assertThat(read.get("name").asString()).isEqualTo("acme");
    }
}
