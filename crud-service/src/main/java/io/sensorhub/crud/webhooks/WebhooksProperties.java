package io.sensorhub.crud.webhooks;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings crud-service needs (the delivery settings under the same prefix are notifier-job's).
 *
 * @param allowPrivateNetworks accept webhook URLs that resolve to loopback, private, link-local or other
 * non-public addresses
 */
@ConfigurationProperties("sensorhub.webhooks")
public record WebhooksProperties(@DefaultValue("false") boolean allowPrivateNetworks) {
}
