package io.sensorhub.crud.auth;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The in-memory cache of client tokens, which spares a database query per request.
 *
 * @param tokenCacheTtl how long a looked-up token is trusted without asking the database again (zero disables
 * the cache); rotation and deletion evict at once on every instance, this only bounds a missed notification
 * @param tokenCacheSize how many tokens are cached at most
 */
@Validated
@ConfigurationProperties("sensorhub.auth")
public record TokenCacheProperties(@NotNull @DefaultValue("10s") Duration tokenCacheTtl,
        @Min(0) @DefaultValue("10000") int tokenCacheSize) {
}
