package io.sensorhub.crud.auth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The token cache, sized and timed by {@link TokenCacheProperties}. */
@Configuration(proxyBeanMethods = false)
class TokenCacheConfiguration {

    @Bean
    TokenCache tokenCache(TokenCacheProperties properties) {
        return new TokenCache(properties.tokenCacheTtl().toNanos(), properties.tokenCacheSize());
    }
}
