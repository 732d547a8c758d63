package io.sensorhub.crud.webhooks;

import io.sensorhub.common.signing.SecretCipher;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Webhook secrets are encrypted in the {@code webhooks} table and plain in memory
 * ({@link SecretCipher}); a Spring bean that Hibernate takes from the application
 * context.
 */
@Component
@Converter
class WebhookSecretConverter implements AttributeConverter<String, String> {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecretConverter.class);

    private final SecretCipher cipher;

    WebhookSecretConverter(SecretCipher cipher) {
        this.cipher = cipher;
        if (!cipher.encrypts()) {
            log.warn("Webhook secrets are stored unencrypted: set sensorhub.secrets.key (base64 of 32 random bytes, "
                    + "the same for crud-service and notifier-job)");
        }
    }

    @Override
    public String convertToDatabaseColumn(String secret) {
        return this.cipher.encrypt(secret);
    }

    @Override
    public String convertToEntityAttribute(String stored) {
        return this.cipher.decrypt(stored);
    }

}
