package io.sensorhub.common.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook signing secrets at rest (AES-256-GCM), so a copy of the database (a
 * backup, a replica, a dump shared for debugging) does not let anyone forge SensorHub's
 * webhook signatures. The stored form is {@code enc:v1:} + base64(nonce, ciphertext and
 * tag). A stored value without that prefix is a secret written before encryption was
 * configured and is answered as it is; without a key, secrets are stored as they are.
 * <p>
 * crud-service encrypts what it writes and notifier-job decrypts what it signs with; both
 * need the same key ({@code sensorhub.secrets.key}). A value encrypted with another key,
 * or altered, fails to decrypt.
 */
public final class SecretCipher {

    private static final String PREFIX = "enc:v1:";

    private static final int KEY_BYTES = 32;

    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;

    /**
     * Binds a ciphertext to its purpose: another value encrypted with this key cannot
     * stand in for a secret.
     */
    private static final byte[] AAD = "sensorhub:webhook-secret".getBytes(StandardCharsets.UTF_8);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretCipher(SecretKeySpec key) {
        this.key = key;
    }

    /**
     * A cipher with the base64 of a 32-byte key, or one that stores secrets as they are
     * when there is no key.
     * @throws IllegalArgumentException if the key is not the base64 of 32 bytes (the
     * message never shows it)
     */
    public static SecretCipher of(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            return new SecretCipher(null);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("sensorhub.secrets.key must be base64 (of 32 random bytes)");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "sensorhub.secrets.key must be the base64 of 32 bytes, not of " + bytes.length);
        }
        return new SecretCipher(new SecretKeySpec(bytes, "AES"));
    }

    /** Whether secrets are encrypted (a key is configured). */
    public boolean encrypts() {
        return this.key != null;
    }

    /** The form to store: encrypted when there is a key, else the secret itself. */
    public String encrypt(String secret) {
        if (secret == null || this.key == null) {
            return secret;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot encrypt a webhook secret", ex);
        }
    }

    /**
     * The secret from its stored form; a value stored before encryption was configured is
     * answered as it is.
     * @throws IllegalStateException if the value is encrypted and there is no key,
     * another key, or it was altered
     */
    public String decrypt(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        if (this.key == null) {
            throw new IllegalStateException("A webhook secret is encrypted but sensorhub.secrets.key is not set");
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(AAD);
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new IllegalStateException(
                    "A webhook secret cannot be decrypted: another sensorhub.secrets.key, or an altered value");
        }
    }

}
