package io.sensorhub.crud.webhooks;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class WebhooksApiIntegrationTest extends ApiIntegrationTest {

    static final String PUBLIC_URL = "https://8.8.8.8/hooks/sensorhub";

    @Test
    void createAnswersTheSecretOnceAndDefaultsToEverything() {
        Api client = newClient();
        MvcTestResult result = client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "description", "ops"));
        assertThat(result).hasStatus(201);
        JsonNode webhook = body(result);
        String secret = webhook.get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(webhook.get("enabled").asBoolean()).isTrue();
        assertThat(webhook.get("sensorIds").isNull()).isTrue();
        assertThat(webhook.get("statuses").isNull()).isTrue();
        assertThat(result.getResponse().getHeader("Location"))
            .endsWith("/api/v1/webhooks/" + webhook.get("id").asString());

        JsonNode read = body(client.get("/api/v1/webhooks/" + webhook.get("id").asString()));
        assertThat(read.has("secret")).isFalse();
        assertThat(read.get("description").asString()).isEqualTo("ops");
        JsonNode listed = body(client.get("/api/v1/webhooks")).get("items").get(0);
        assertThat(listed.has("secret")).isFalse();
    }

    @Test
    void filtersAreTheClientsOwnSensorsAndKnownStatuses() {
        Api client = newClient();
        String mine = sensorId("mine");
        client.createSensor(mine);
        String theirs = sensorId("theirs");
        newClient().createSensor(theirs);

        JsonNode webhook = body(client.post("/api/v1/webhooks",
                Map.of("url", PUBLIC_URL, "sensorIds", List.of(mine), "statuses", List.of("CRITICAL", "OFFLINE"))));
        assertThat(webhook.get("sensorIds").get(0).asString()).isEqualTo(mine);
        assertThat(webhook.get("statuses").size()).isEqualTo(2);

        invalidField(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "sensorIds", List.of(mine, theirs))),
                "sensorIds[1]");
        invalidField(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "sensorIds", List.of(sensorId("none")))),
                "sensorIds[0]");
        invalidField(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "statuses", List.of("HOT"))),
                "statuses[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ftp://8.8.8.8/x", "not a url", "https://", "http://localhost:8080/hook",
            "http://127.0.0.1/hook", "http://10.1.2.3/hook", "http://192.168.1.10/hook", "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://[fd00::1]/hook", "http://0.0.0.0/",
            "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/", "https://user:pw@8.8.8.8/",
            "https://no-such-host.invalid/hook", "http://[2001::1]/", "http://[2001:10::1]/hook", "http://[100::1]/",
            "http://[fec0::1]/", "http://[::8.8.8.8]/", "http://[5f00::1]/" })
    void refusesUnsafeOrInvalidUrls(String url) {
        invalidField(newClient().post("/api/v1/webhooks", Map.of("url", url)), "url");
    }

    @Test
    void patchMergesAndEnablingClearsTheDisabledReason() {
        Api client = newClient();
        String sensor = sensorId("p");
        client.createSensor(sensor);
        JsonNode created = body(client.post("/api/v1/webhooks",
                Map.of("url", PUBLIC_URL, "description", "d", "sensorIds", List.of(sensor))));
        String path = "/api/v1/webhooks/" + created.get("id").asString();
        this.jdbc.sql(
                "UPDATE webhooks SET enabled = false, disabled_reason = '410 Gone', failing_since = now() WHERE id = ?::uuid")
            .param(created.get("id").asString())
            .update();
        assertThat(body(client.get(path)).get("disabledReason").asString()).isEqualTo("410 Gone");

        Map<String, Object> patch = new HashMap<>();
        patch.put("description", null);
        patch.put("sensorIds", null);
        patch.put("enabled", true);
        JsonNode patched = body(client.patch(path, patch, null));
        assertThat(patched.get("enabled").asBoolean()).isTrue();
        assertThat(patched.get("disabledReason").isNull()).isTrue();
        // cleared in the row by the database's trigger (crud-service never writes these)
        assertThat(this.jdbc
            .sql("SELECT disabled_reason IS NULL AND failing_since IS NULL FROM webhooks WHERE id = ?::uuid")
            .param(created.get("id").asString())
            .query(Boolean.class)
            .single()).isTrue();
        assertThat(patched.get("description").isNull()).isTrue();
        assertThat(patched.get("sensorIds").isNull()).isTrue();
        assertThat(patched.get("url").asString()).isEqualTo(PUBLIC_URL);

        invalidField(client.patch(path, Map.of("url", "http://127.0.0.1/"), null), "url");
        invalidField(client.patch(path, Map.of("secret", "whsec_x"), null), "secret");
        invalidField(client.patch(path, Map.of("enabled", "yes"), null), "enabled");
        problem(client.patch("/api/v1/webhooks/00000000-0000-0000-0000-000000000000", Map.of("enabled", false), null),
                404);
    }

    @Test
    void rotatingTheSecretKeepsThePreviousOneForSigning() {
        Api client = newClient();
        JsonNode created = body(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL)));
        String id = created.get("id").asString();
        MvcTestResult rotated = client.post("/api/v1/webhooks/" + id + "/secret", null);
        assertThat(rotated).hasStatusOk();
        String newSecret = body(rotated).get("secret").asString();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(created.get("secret").asString());
        Map<String, Object> stored = this.jdbc.sql("SELECT secret, previous_secret FROM webhooks WHERE id = ?::uuid")
            .param(id)
            .query()
            .singleRow();
        SecretCipher cipher = SecretCipher.of(SECRETS_KEY);
        assertThat(stored.values()).as("stored encrypted")
            .allSatisfy(value -> assertThat((String) value).startsWith("enc:v1:").doesNotContain("whsec_"));
        assertThat(cipher.decrypt((String) stored.get("secret"))).isEqualTo(newSecret);
        assertThat(cipher.decrypt((String) stored.get("previous_secret"))).isEqualTo(created.get("secret").asString());
        assertThat(body(client.get("/api/v1/webhooks/" + id)).get("secretRotatedAt").isNull()).isFalse();
    }

    @Test
    void aSecretStoredBeforeEncryptionStillSignsAndIsEncryptedAtTheNextRotation() {
        Api client = newClient();
        JsonNode created = body(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL)));
        String id = created.get("id").asString();
        String legacy = created.get("secret").asString();
        this.jdbc.sql("UPDATE webhooks SET secret = ? WHERE id = ?::uuid").params(legacy, id).update();

        assertThat(client.patch("/api/v1/webhooks/" + id, Map.of("description", "still readable"), null)).hasStatusOk();
        assertThat(client.post("/api/v1/webhooks/" + id + "/secret", null)).hasStatusOk();

        String previous = this.jdbc.sql("SELECT previous_secret FROM webhooks WHERE id = ?::uuid")
            .param(id)
            .query(String.class)
            .single();
        assertThat(previous).startsWith("enc:v1:");
        assertThat(SecretCipher.of(SECRETS_KEY).decrypt(previous)).isEqualTo(legacy);
    }

    @Test
    void listPagesAndDeleteRemoves() {
        Api client = newClient();
        for (int i = 0; i < 3; i++) {
            client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL));
        }
        JsonNode first = body(client.get("/api/v1/webhooks?limit=2"));
        assertThat(first.get("items").size()).isEqualTo(2);
        JsonNode second = body(client.get("/api/v1/webhooks?limit=2&cursor=" + first.get("nextCursor").asString()));
        assertThat(second.get("items").size()).isEqualTo(1);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        invalidField(client.get("/api/v1/webhooks?cursor=bm90LWEtdXVpZA"), "cursor");

        String id = second.get("items").get(0).get("id").asString();
        assertThat(client.delete("/api/v1/webhooks/" + id)).hasStatus(204);
        problem(client.get("/api/v1/webhooks/" + id), 404);
        problem(client.delete("/api/v1/webhooks/" + id), 404);
        problem(client.get("/api/v1/webhooks/not-a-uuid"), 404);
    }

    @Test
    void deletingASensorDropsItFromWebhookFilters() {
        Api client = newClient();
        String sensor = sensorId("f");
        client.createSensor(sensor);
        String id = body(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "sensorIds", List.of(sensor))))
            .get("id")
            .asString();
        client.delete("/api/v1/sensors/" + sensor);
        assertThat(body(client.get("/api/v1/webhooks/" + id)).get("sensorIds")).isEmpty();
    }

}
