package io.sensorhub.common.signing;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A webhook's signing secrets: the current one and, for {@link #ROTATION_OVERLAP} after a
 * rotation, the previous one, so receivers can switch secrets without losing a delivery.
 *
 * @param current the current secret, {@code whsec_} + base64 key
 * @param previous the secret before the last rotation, if any
 * @param rotatedAt when the secret was last rotated, if ever
 */
public record WebhookSecrets(String current, String previous, Instant rotatedAt) {

    /** How long after a rotation deliveries are also signed with the previous secret. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private static final int SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    public WebhookSecrets {
        Objects.requireNonNull(current, "current");
    }

    /** A new random secret: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return WebhookSigner.SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The secrets to sign with at {@code now}: the current one first, then the previous
     * one within the overlap.
     */
    public List<String> signingSecrets(Instant now) {
        if (this.previous == null || this.rotatedAt == null || !now.isBefore(this.rotatedAt.plus(ROTATION_OVERLAP))) {
            return List.of(this.current);
        }
        return List.of(this.current, this.previous);
    }
}
