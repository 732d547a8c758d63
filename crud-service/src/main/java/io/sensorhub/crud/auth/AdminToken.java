package io.sensorhub.crud.auth;

import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The admin token, held only as its hash. When {@code sensorhub.admin-token} is unset a
 * random one is generated and printed once at start-up (as Spring Security does with its
 * generated password). A configured token shorter than {@value #MIN_LENGTH} characters,
 * or one that is a placeholder (the example value of {@code .env.example}, "changeme",
 * …), stops the start-up: an API guarded by a guessable token is worse than none running.
 */
@Component
class AdminToken {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

    static final int MIN_LENGTH = 32;

    /**
     * Words that mark an example value, looked for in the token lower-cased and without
     * separators.
     */
    private static final List<String> PLACEHOLDER_WORDS = List.of("changeme", "replaceme", "placeholder", "yourtoken",
            "example", "xxxxxxxx");

    private final byte[] hash;

    AdminToken(AuthProperties properties) {
        String token = properties.adminToken();
        if (!StringUtils.hasText(token)) {
            token = Tokens.newToken();
            log.warn("\n\nUsing generated admin token: {}\n\nSet sensorhub.admin-token to choose one.\n", token);
        }
        else {
            refuseWeak(token);
        }
        this.hash = Tokens.hash(token);
    }

    /**
     * Fails the start-up on a short or placeholder token; the message never quotes the
     * token.
     */
    private static void refuseWeak(String token) {
        String advice = "; set a random one of at least " + MIN_LENGTH
                + " characters (e.g. openssl rand -base64 32), or leave it unset to have one generated";
        if (token.length() < MIN_LENGTH) {
            throw new IllegalStateException(
                    "sensorhub.admin-token is too short (" + token.length() + " characters)" + advice);
        }
        String letters = token.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (PLACEHOLDER_WORDS.stream().anyMatch(letters::contains)) {
            throw new IllegalStateException("sensorhub.admin-token is a placeholder value" + advice);
        }
    }

    boolean matches(byte[] presentedHash) {
        return Tokens.sameHash(this.hash, presentedHash);
    }

}
