package io.sensorhub.crud.webhooks;

import io.sensorhub.common.addresses.DeadlineResolver;
import io.sensorhub.common.addresses.HostResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How crud-service resolves webhook host names: within
 * {@code sensorhub.webhooks.dns-timeout}, at most
 * {@code sensorhub.webhooks.max-concurrent-resolutions} lookups at once, so a slow DNS
 * zone never ties up request threads or the database pool. The resolver asked is the
 * system's, or a {@link HostResolver} bean where one is defined.
 */
@Configuration(proxyBeanMethods = false)
class WebhookDnsConfiguration {

    @Bean(destroyMethod = "close")
    DeadlineResolver webhookHostResolver(WebhookUrlProperties properties, ObjectProvider<HostResolver> resolver) {
        return new DeadlineResolver(resolver.getIfAvailable(() -> HostResolver.SYSTEM), properties.dnsTimeout(),
                properties.maxConcurrentResolutions());
    }

}
