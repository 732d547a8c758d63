package io.sensorhub.common.signing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signatures are checked with the official Standard Webhooks library. */
class WebhookSignerTest {

    private static final String OLD = "whsec_"
            + Base64.getEncoder().encodeToString("old-secret-key-0123456789abcdef".getBytes());

    private static final String NEW = "whsec_"
            + Base64.getEncoder().encodeToString("new-secret-key-0123456789abcdef".getBytes());

    private static final String BODY = "{\"type\": \"sensor.status_changed\", \"data\": {\"sensorId\": \"boiler-7\"}}";

    @Test
    void signatureVerifiesWithTheOfficialLibrary() throws Exception {
        Instant now = Instant.now();
        String header = WebhookSigner.signatureHeader(new WebhookSecrets(NEW, null, null), now, "msg_1",
                now.getEpochSecond(), BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(header).startsWith("v1,").doesNotContain(" ");
        assertThatCode(() -> new Webhook(NEW).verify(BODY, headers("msg_1", now, header))).doesNotThrowAnyException();
        assertThat(header).isEqualTo(new Webhook(NEW).sign("msg_1", now.getEpochSecond(), BODY));
    }

    @Test
    void withinADayOfRotationBothSecretsSignSoEitherVerifies() {
        Instant now = Instant.now();
        WebhookSecrets secrets = new WebhookSecrets(NEW, OLD, now.minus(Duration.ofHours(23)));
        String header = WebhookSigner.signatureHeader(secrets, now, "msg_2", now.getEpochSecond(),
                BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(header.split(" ")).hasSize(2);
        assertThatCode(() -> new Webhook(NEW).verify(BODY, headers("msg_2", now, header))).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(OLD).verify(BODY, headers("msg_2", now, header))).doesNotThrowAnyException();
    }

    @Test
    void aDayAfterRotationOnlyTheNewSecretSigns() {
        Instant now = Instant.now();
        WebhookSecrets secrets = new WebhookSecrets(NEW, OLD, now.minus(Duration.ofHours(24)));
        String header = WebhookSigner.signatureHeader(secrets, now, "msg_3", now.getEpochSecond(),
                BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(secrets.signingSecrets(now)).containsExactly(NEW);
        assertThatThrownBy(() -> new Webhook(OLD).verify(BODY, headers("msg_3", now, header)))
            .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    }

    @Test
    void aTamperedBodyDoesNotVerify() {
        Instant now = Instant.now();
        String header = WebhookSigner.signatureHeader(new WebhookSecrets(NEW, null, null), now, "msg_4",
                now.getEpochSecond(), BODY.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new Webhook(NEW).verify(BODY + " ", headers("msg_4", now, header)))
            .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    }

    /**
     * Deliveries carry the headers under the names receivers (the official library) look
     * for.
     */
    @Test
    void headerNamesAreTheStandards() {
        assertThat(List.of(WebhookHeaders.ID, WebhookHeaders.TIMESTAMP, WebhookHeaders.SIGNATURE)).containsExactly(
                Webhook.UNBRANDED_MSG_ID_KEY, Webhook.UNBRANDED_MSG_TIMESTAMP_KEY, Webhook.UNBRANDED_MSG_SIGNATURE_KEY);
    }

    private static Map<String, List<String>> headers(String id, Instant now, String signature) {
        return Map.of(WebhookHeaders.ID, List.of(id), WebhookHeaders.TIMESTAMP,
                List.of(Long.toString(now.getEpochSecond())), WebhookHeaders.SIGNATURE, List.of(signature));
    }

}
