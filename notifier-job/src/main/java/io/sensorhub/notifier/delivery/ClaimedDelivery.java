package io.sensorhub.notifier.delivery;

import java.time.Instant;
import java.util.UUID;

import io.sensorhub.common.signing.WebhookSecrets;

/**
 * A due delivery this instance holds the lease of, with what it takes to attempt it.
 *
 * @param id the delivery
 * @param webhookId its webhook
 * @param eventId the event, sent as {@code webhook-id}
 * @param sensorId the sensor of a status change, null for a test event
 * @param payload the body to POST
 * @param attempt the number of this attempt (1 for the first)
 * @param failuresBefore failed attempts since the delivery was created or last made
 * pending again
 * @param origin when the event happened (for the first-attempt delay metric)
 * @param url the webhook's URL
 * @param hostKey the URL's host (and port, if given): what the per-host concurrency limit
 * counts by
 * @param secrets the webhook's signing secrets
 * @param correlationId what caused the event (a request id, or the reading's identity),
 * for the logs; may be null
 */
public record ClaimedDelivery(UUID id, UUID webhookId, UUID eventId, String sensorId, String payload, int attempt,
        int failuresBefore, Instant origin, String url, String hostKey, WebhookSecrets secrets, String correlationId) {
}
