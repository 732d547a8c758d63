package io.sensorhub.crud.cache;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCacheTest {

    private static final long TTL = 1_000;

    private final UUID client = UUID.randomUUID();

    private LocalCache<String, UUID> enabledCache() {
        LocalCache<String, UUID> cache = new LocalCache<>(TTL, 10);
        cache.setEnabled(true);
        return cache;
    }

    @Test
    void anEntryIsTrustedUntilItsTimeToLive() {
        LocalCache<String, UUID> cache = enabledCache();
        cache.put("k", this.client, cache.generation(), 0);
        assertThat(cache.get("k", TTL)).contains(this.client);
        assertThat(cache.get("k", TTL + 1)).isEmpty();
    }

    @Test
    void invalidationEvictsByKeyOrByValue() {
        LocalCache<String, UUID> cache = enabledCache();
        cache.put("a", this.client, cache.generation(), 0);
        cache.put("b", this.client, cache.generation(), 0);
        cache.put("c", UUID.randomUUID(), cache.generation(), 0);
        cache.invalidate("c");
        assertThat(cache.get("c", 1)).isEmpty();
        cache.invalidateIf(this.client::equals);
        assertThat(cache.get("a", 1)).isEmpty();
        assertThat(cache.get("b", 1)).isEmpty();
    }

    @Test
    void aReadThatStartedBeforeAnInvalidationIsNotCached() {
        LocalCache<String, UUID> cache = enabledCache();
        long generation = cache.generation();
        cache.invalidate("other");
        cache.put("k", this.client, generation, 0);
        assertThat(cache.get("k", 1)).isEmpty();
    }

    @Test
    void nothingIsCachedWhileInvalidationsCannotBeHeard() {
        LocalCache<String, UUID> cache = new LocalCache<>(TTL, 10);
        cache.put("k", this.client, cache.generation(), 0);
        assertThat(cache.get("k", 1)).isEmpty();
        cache.setEnabled(true);
        cache.put("k", this.client, cache.generation(), 0);
        cache.setEnabled(false);
        assertThat(cache.get("k", 1)).isEmpty();
    }

    @Test
    void theCacheStaysBoundedAndAZeroTimeToLiveDisablesIt() {
        LocalCache<String, UUID> cache = enabledCache();
        for (int i = 0; i < 25; i++) {
            cache.put("k" + i, this.client, cache.generation(), 0);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
        LocalCache<String, UUID> off = new LocalCache<>(0, 10);
        off.setEnabled(true);
        off.put("k", this.client, off.generation(), 0);
        assertThat(off.size()).isZero();
    }

}
