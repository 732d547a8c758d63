package io.sensorhub.crud.auth;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Finds the client a token belongs to: one probe of the unique index on {@code clients.token_hash}. */
@Component
class ClientTokens {

    private final JdbcClient jdbc;

    ClientTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UUID> clientOf(byte[] tokenHash) {
        return this.jdbc.sql("SELECT id, token_hash FROM clients WHERE token_hash = ?")
            .param(tokenHash)
            .query((rs, row) -> Tokens.sameHash(rs.getBytes("token_hash"), tokenHash) ? rs.getObject("id", UUID.class)
                    : null)
            .optional();
    }
}
