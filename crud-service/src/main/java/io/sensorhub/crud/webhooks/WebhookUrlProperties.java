package io.sensorhub.crud.webhooks;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook settings crud-service needs (the delivery settings under the same prefix are
 * notifier-job's).
 *
 * @param allowPrivateNetworks accept webhook URLs that resolve to loopback, private,
 * link-local or other non-public addresses (the rule is
 * {@link io.sensorhub.common.addresses.AddressPolicy})
 * @param dnsTimeout how long creating or changing a webhook waits for its host name to
 * resolve before answering 400
 * @param maxConcurrentResolutions how many webhook host names crud-service resolves at
 * once; a request that would need one more is answered 503
 */
@Validated
@ConfigurationProperties("sensorhub.webhooks")
public record WebhookUrlProperties(@DefaultValue("false") boolean allowPrivateNetworks,
        @NotNull @DefaultValue("2s") Duration dnsTimeout, @Min(1) @DefaultValue("8") int maxConcurrentResolutions) {

    @AssertTrue(message = "dns-timeout must be positive")
    boolean isDnsTimeoutPositive() {
        return this.dnsTimeout == null || (!this.dnsTimeout.isNegative() && !this.dnsTimeout.isZero());
    }
}
