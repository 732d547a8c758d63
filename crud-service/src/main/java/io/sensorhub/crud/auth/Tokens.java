package io.sensorhub.crud.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer tokens: 32 random bytes from {@link SecureRandom}, kept only as their SHA-256.
 */
public final class Tokens {

    private static final int TOKEN_BYTES = 32;

    private static final String PREFIX = "sh_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new token, shown to its owner once and never stored. */
    public static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of a token's UTF-8 bytes: what is stored and looked up. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean sameHash(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

}
