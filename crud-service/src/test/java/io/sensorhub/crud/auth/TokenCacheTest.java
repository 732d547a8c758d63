package io.sensorhub.crud.auth;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCacheTest {

    private static final long TTL = 1_000;

    private final byte[] hash = Tokens.hash("token");

    private final UUID client = UUID.randomUUID();

    private TokenCache enabledCache() {
        TokenCache cache = new TokenCache(TTL, 10);
        cache.setEnabled(true);
        return cache;
    }

    @Test
    void aCachedTokenIsTrustedUntilItsTimeToLive() {
        TokenCache cache = enabledCache();
        cache.put(this.hash, this.client, cache.generation(), 0);
        assertThat(cache.get(this.hash, TTL)).contains(this.client);
        assertThat(cache.get(this.hash, TTL + 1)).isEmpty();
    }

    @Test
    void invalidatingAClientEvictsItsTokens() {
        TokenCache cache = enabledCache();
        cache.put(this.hash, this.client, cache.generation(), 0);
        cache.invalidate(this.client);
        assertThat(cache.get(this.hash, 1)).isEmpty();
    }

    @Test
    void aLookupThatStartedBeforeAnInvalidationIsNotCached() {
        TokenCache cache = enabledCache();
        long generation = cache.generation();
        cache.invalidate(UUID.randomUUID());
        cache.put(this.hash, this.client, generation, 0);
        assertThat(cache.get(this.hash, 1)).isEmpty();
    }

    @Test
    void nothingIsCachedWhileInvalidationsCannotBeHeard() {
        TokenCache cache = new TokenCache(TTL, 10);
        cache.put(this.hash, this.client, cache.generation(), 0);
        assertThat(cache.get(this.hash, 1)).isEmpty();
        cache.setEnabled(true);
        cache.put(this.hash, this.client, cache.generation(), 0);
        cache.setEnabled(false);
        assertThat(cache.get(this.hash, 1)).isEmpty();
    }

    @Test
    void theCacheStaysBounded() {
        TokenCache cache = enabledCache();
        for (int i = 0; i < 25; i++) {
            cache.put(Tokens.hash("t" + i), this.client, cache.generation(), 0);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
}
