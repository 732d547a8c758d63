package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook secrets are stored encrypted (as crud-service stores them) and notifier-job
 * signs with the decrypted secret; one it cannot decrypt fails that webhook's attempts
 * with a clear error and stops nothing else.
 */
@NotifierIntegrationTest
class SecretsAtRestIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private JdbcClient jdbc;

    @Test
    void anEncryptedSecretSignsAndAnUndecryptableOneFailsOnlyItsOwnAttempts() {
        String sensor = this.data.sensor("sealed-1");
        UUID good = this.data.webhook(this.receiver.url("/good"), this.secret);
        UUID foreign = this.data.webhook(this.receiver.url("/foreign"), this.secret);
        String otherKey = Base64.getEncoder().encodeToString("another key of exactly 32 bytes!".getBytes());
        this.jdbc.sql("UPDATE webhooks SET secret = ? WHERE id = ?")
            .params(SecretCipher.of(otherKey).encrypt(this.secret), foreign)
            .update();
        assertThat((String) this.data.webhookRow(good).get("secret")).startsWith("enc:v1:").doesNotContain(this.secret);

        StatusChange change = this.data.change(sensor, Status.CRITICAL, 99.0);

        await().atMost(WAIT).until(() -> this.receiver.requestsTo("/good").size() == 1);
        this.receiver.assertAllSignedWith(this.secret);
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.attempts(foreign, change.eventId())).isNotEmpty()
                .allSatisfy(attempt -> assertThat((String) attempt.get("error")).contains("cannot be decrypted")
                    .doesNotContain(this.secret)));
        assertThat(this.receiver.requestsTo("/foreign")).isEmpty();
    }

}
