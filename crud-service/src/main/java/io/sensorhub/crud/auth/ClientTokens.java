package io.sensorhub.crud.auth;

import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import io.sensorhub.crud.cache.CacheInvalidations;
import io.sensorhub.crud.cache.CacheProperties;
import io.sensorhub.crud.cache.LocalCache;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds the client a token belongs to: from a short-lived cache, else one probe of the
 * unique index on {@code clients.token_hash}. Only hits are cached; {@link #tokenChanged}
 * evicts a client's tokens everywhere.
 */
@Component
public class ClientTokens {

    static final String KIND = "client";

    private final JdbcClient jdbc;

    private final LocalCache<String, UUID> cache;

    private final CacheInvalidations invalidations;

    ClientTokens(JdbcClient jdbc, CacheProperties properties, CacheInvalidations invalidations) {
        this.jdbc = jdbc;
        this.cache = properties.newCache();
        this.invalidations = invalidations;
        invalidations.register(KIND, this.cache,
                clientId -> this.cache.invalidateIf(UUID.fromString(clientId)::equals));
    }

    Optional<UUID> clientOf(byte[] tokenHash) {
        String key = HexFormat.of().formatHex(tokenHash);
        Optional<UUID> cached = this.cache.get(key, System.nanoTime());
        if (cached.isPresent()) {
            return cached;
        }
        long generation = this.cache.generation();
        Optional<UUID> found = this.jdbc.sql("SELECT id, token_hash FROM clients WHERE token_hash = ?")
            .param(tokenHash)
            .query((rs, row) -> Tokens.sameHash(rs.getBytes("token_hash"), tokenHash) ? rs.getObject("id", UUID.class)
                    : null)
            .optional();
        found.ifPresent(clientId -> this.cache.put(key, clientId, generation, System.nanoTime()));
        return found;
    }

    /**
     * A client's token was replaced or the client deleted: call inside the transaction
     * that does it.
     */
    public void tokenChanged(UUID clientId) {
        this.invalidations.publish(KIND, clientId.toString());
    }

    LocalCache<String, UUID> cache() {
        return this.cache;
    }

}
