package io.sensorhub.common.signing;

/**
 * The HTTP headers of a webhook delivery, as the Standard Webhooks specification names
 * them (docs/api.md): named here once for notifier-job, which sends them, and for the
 * tests' receivers, which read them.
 */
public final class WebhookHeaders {

    /** The event's id: the same on every retry and redelivery. */
    public static final String ID = "webhook-id";

    /** The attempt's time in Unix seconds. */
    public static final String TIMESTAMP = "webhook-timestamp";

    /**
     * The space-separated {@code v1,<base64>} signatures
     * ({@link WebhookSigner#signatureHeader}).
     */
    public static final String SIGNATURE = "webhook-signature";

    private WebhookHeaders() {
    }

}
