package io.sensorhub.crud.cache;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The in-memory caches of client tokens and sensor settings, which spare database queries
 * on every request.
 *
 * @param ttl how long an entry is trusted without asking the database again (zero
 * disables the caches); changes evict at once on every instance, this only bounds the
 * effect of a lost notification
 * @param maxEntries how many entries each cache holds at most
 */
@Validated
@ConfigurationProperties("sensorhub.cache")
public record CacheProperties(@NotNull @DefaultValue("10s") Duration ttl,
        @Min(0) @DefaultValue("100000") int maxEntries) {

    /** A new, empty cache with these settings (off until invalidations are heard). */
    public <K, V> LocalCache<K, V> newCache() {
        return new LocalCache<>(this.ttl.toNanos(), this.maxEntries);
    }
}
