package io.sensorhub.crud.webhooks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings crud-service needs (the delivery settings under the same prefix are
 * notifier-job's).
 *
 * @param allowPrivateNetworks accept webhook URLs that resolve to loopback, private,
 * link-local or other non-public addresses
 * @param dnsTimeout how long creating or changing a webhook waits for its host name to
 * resolve before answering 400
 * @param maxConcurrentResolutions how many webhook host names crud-service resolves at
 * once; a request that would need one more is answered 503
 */
@ConfigurationProperties("sensorhub.webhooks")
public record WebhookUrlProperties(@DefaultValue("false") boolean allowPrivateNetworks,
        @DefaultValue("2s") Duration dnsTimeout, @DefaultValue("8") int maxConcurrentResolutions) {
}
