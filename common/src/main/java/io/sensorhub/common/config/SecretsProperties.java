package io.sensorhub.common.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How webhook signing secrets are kept at rest.
 *
 * @param key base64 of 32 random bytes (e.g. {@code openssl rand -base64 32}): the
 * AES-256-GCM key crud-service encrypts secrets with and notifier-job decrypts them with,
 * the same for both; unset, secrets are stored as they are
 */
@ConfigurationProperties("sensorhub.secrets")
public record SecretsProperties(String key) {

    @Override
    public String toString() {
        return "SecretsProperties[key=" + ((this.key == null) ? "unset" : "***") + "]";
    }
}
