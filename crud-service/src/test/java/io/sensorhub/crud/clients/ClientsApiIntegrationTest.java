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
        assertThat(created.getResponse().getHeader("Location"))
            .endsWith("/api/v1/clients/" + body.get("id").asString());
        byte[] stored = this.jdbc.sql("SELECT token_hash FROM clients WHERE id = ?::uuid")
            .param(body.get("id").asString())
            .query(byte[].class)
            .single();
        assertThat(stored).hasSize(32).isNotEqualTo(token.getBytes());

        JsonNode read = body(this.admin.get("/api/v1/clients/" + body.get("id").asString()));
        assertThat(read.has("token")).isFalse();
        assertThat(read.get("name").asString()).isEqualTo("acme");
    }

    @Test
    void createRefusesAMissingBlankOrLongName() {
        invalidField(this.admin.post("/api/v1/clients", Map.of()), "name");
        invalidField(this.admin.post("/api/v1/clients", Map.of("name", "  ")), "name");
        invalidField(this.admin.post("/api/v1/clients", Map.of("name", "x".repeat(201))), "name");
        invalidField(this.admin.post("/api/v1/clients", Map.of("name", "ok", "token", "mine")), "token");
    }

    @Test
    void listPagesInIdOrderWithoutTokens() {
        for (int i = 0; i < 3; i++) {
            newClient();
        }
        JsonNode first = body(this.admin.get("/api/v1/clients?limit=2"));
        assertThat(first.get("items").size()).isEqualTo(2);
        assertThat(first.get("items").get(0).has("token")).isFalse();
        String cursor = first.get("nextCursor").asString();
        JsonNode second = body(this.admin.get("/api/v1/clients?limit=2&cursor=" + cursor));
        assertThat(second.get("items").get(0).get("id").asString())
            .isGreaterThan(first.get("items").get(1).get("id").asString());
        invalidField(this.admin.get("/api/v1/clients?limit=0"), "limit");
        invalidField(this.admin.get("/api/v1/clients?cursor=bm90LWEtdXVpZA"), "cursor");
    }

    @Test
    void patchRenames() {
        Api client = newClient();
        JsonNode renamed = body(
                this.admin.patch("/api/v1/clients/" + client.clientId, Map.of("name", "renamed"), null));
        assertThat(renamed.get("name").asString()).isEqualTo("renamed");
        assertThat(renamed.get("updatedAt").asString()).isGreaterThanOrEqualTo(renamed.get("createdAt").asString());
        invalidField(this.admin.patch("/api/v1/clients/" + client.clientId, Map.of("name", ""), null), "name");
        problem(this.admin.patch("/api/v1/clients/00000000-0000-0000-0000-000000000000", Map.of("name", "x"), null),
                404);
    }

    @Test
    void unknownOrMalformedIdsAreNotFound() {
        problem(this.admin.get("/api/v1/clients/00000000-0000-0000-0000-000000000000"), 404);
        problem(this.admin.get("/api/v1/clients/not-a-uuid"), 404);
        problem(this.admin.delete("/api/v1/clients/not-a-uuid"), 404);
    }

}
