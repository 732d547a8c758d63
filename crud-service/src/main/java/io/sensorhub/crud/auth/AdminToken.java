package io.sensorhub.crud.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The admin token, held only as its hash. When {@code sensorhub.admin-token} is unset a random one is
 * generated and printed once at start-up (as Spring Security does with its generated password).
 */
@Component
class AdminToken {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

    private final byte[] hash;

    AdminToken(AuthProperties properties) {
        String token = properties.adminToken();
        if (!StringUtils.hasText(token)) {
            token = Tokens.newToken();
            log.warn("\n\nUsing generated admin token: {}\n\nSet sensorhub.admin-token to choose one.\n", token);
        }
        this.hash = Tokens.hash(token);
    }

    boolean matches(byte[] presentedHash) {
        return Tokens.sameHash(this.hash, presentedHash);
    }
}
