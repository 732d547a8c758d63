package io.sensorhub.crud.auth;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds the client a token belongs to: from the {@link TokenCache}, else one probe of the unique index on
 * {@code clients.token_hash}. Only hits are cached, so an unknown token always costs a query.
 */
@Component
class ClientTokens {

    private final JdbcClient jdbc;

    private final TokenCache cache;

    ClientTokens(JdbcClient jdbc, TokenCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    Optional<UUID> clientOf(byte[] tokenHash) {
        Optional<UUID> cached = this.cache.get(tokenHash, System.nanoTime());
        if (cached.isPresent()) {
            return cached;
        }
        long generation = this.cache.generation();
        Optional<UUID> found = this.jdbc.sql("SELECT id, token_hash FROM clients WHERE token_hash = ?")
            .param(tokenHash)
            .query((rs, row) -> Tokens.sameHash(rs.getBytes("token_hash"), tokenHash) ? rs.getObject("id", UUID.class)
                    : null)
            .optional();
        found.ifPresent(clientId -> this.cache.put(tokenHash, clientId, generation, System.nanoTime()));
        return found;
    }
}
