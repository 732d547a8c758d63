package io.sensorhub.common.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries as the Standard Webhooks specification says: {@code v1,} +
 * base64 of HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}"), where the key is
 * the base64-decoded part of the secret after {@code whsec_}. Several signatures are
 * space-separated.
 */
public final class WebhookSigner {

    /** The prefix of every secret. */
    public static final String SECRET_PREFIX = "whsec_";

    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSigner() {
    }

    /**
     * The value of the {@value WebhookHeaders#SIGNATURE} header for a delivery attempt at
     * {@code now}: one signature per secret in
     * {@link WebhookSecrets#signingSecrets(Instant)}.
     */
    public static String signatureHeader(WebhookSecrets secrets, Instant now, String webhookId, long timestamp,
            byte[] body) {
        List<String> keys = secrets.signingSecrets(now);
        return keys.stream().map(secret -> sign(secret, webhookId, timestamp, body)).collect(Collectors.joining(" "));
    }

    /** One {@code v1,<base64>} signature with this secret. */
    public static String sign(String secret, String webhookId, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key(secret), ALGORITHM));
            mac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA256 is not available", ex);
        }
    }

    /** The key bytes of a {@code whsec_} secret. */
    static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("A webhook secret is whsec_ followed by base64", ex);
        }
    }

}
