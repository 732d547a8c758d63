package io.sensorhub.crud.auth;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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

    private final List<Consumer<UUID>> listeners = new CopyOnWriteArrayList<>();

    ClientTokens(JdbcClient jdbc, CacheProperties properties, CacheInvalidations invalidations) {
        this.jdbc = jdbc;
        this.cache = properties.newCache();
        this.invalidations = invalidations;
        invalidations.register(KIND, this.cache, clientId -> {
            UUID id = UUID.fromString(clientId);
            this.cache.invalidateIf(id::equals);
            this.listeners.forEach(listener -> listener.accept(id));
        });
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

    /**
     * Calls the listener with a client's id whenever its token may have changed (on every
     * instance, and here also before the change commits: check what is committed, not the
     * call). Must not block.
     */
    public void onTokenChanged(Consumer<UUID> listener) {
        this.listeners.add(listener);
    }

    /** The hash of a client's current token, if the client exists. */
    public Optional<byte[]> currentHash(UUID clientId) {
        return this.jdbc.sql("SELECT token_hash FROM clients WHERE id = ?")
            .param(clientId)
            .query((rs, row) -> rs.getBytes(1))
            .optional();
    }

    LocalCache<String, UUID> cache() {
        return this.cache;
    }

}
