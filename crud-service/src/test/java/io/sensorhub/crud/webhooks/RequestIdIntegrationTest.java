package io.sensorhub.crud.webhooks;

import java.util.Map;
import java.util.UUID;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The correlation id travels from X-Request-Id into the response, the log lines and the
 * deliveries it causes.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestIdIntegrationTest extends ApiIntegrationTest {

    @Test
    void aRequestIdIsEchoedLoggedAndStoredWithTheDeliveryItCauses(CapturedOutput output) {
        Api client = newClient();
        String webhook = newWebhook(client);
        MvcTestResult result = this.mvc.post()
            .uri("/api/v1/webhooks/" + webhook + "/test")
            .header("Authorization", "Bearer " + client.token)
            .header("X-Request-Id", "rid-test-42")
            .exchange();
        assertThat(result).hasStatus(202);
        assertThat(result.getResponse().getHeader("X-Request-Id")).isEqualTo("rid-test-42");
        String deliveryId = body(result).get("deliveryId").asString();
        assertThat(this.jdbc.sql("SELECT correlation_id FROM webhook_deliveries WHERE id = ?::uuid")
            .param(deliveryId)
            .query(String.class)
            .single()).isEqualTo("rid-test-42");
        assertThat(output.getOut()).containsPattern("\\[rid-test-42\\] .*Queued webhook.test delivery " + deliveryId);
    }

    @Test
    void aMissingOrUnsafeRequestIdIsReplacedByANewOne() {
        MvcTestResult missing = this.mvc.get()
            .uri("/api/v1/clients")
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .exchange();
        assertThat(UUID.fromString(missing.getResponse().getHeader("X-Request-Id"))).isNotNull();
        MvcTestResult unsafe = this.mvc.get()
            .uri("/api/v1/clients")
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .header("X-Request-Id", "evil\nlog line")
            .exchange();
        assertThat(UUID.fromString(unsafe.getResponse().getHeader("X-Request-Id"))).isNotNull();
        assertThat(missing.getResponse().getHeader("X-Request-Id"))
            .isNotEqualTo(unsafe.getResponse().getHeader("X-Request-Id"));
    }

    private String newWebhook(Api client) {
        MvcTestResult created = client.post("/api/v1/webhooks", Map.of("url", WebhooksApiIntegrationTest.PUBLIC_URL));
        assertThat(created).hasStatus(201);
        return body(created).get("id").asString();
    }

}
