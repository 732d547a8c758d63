package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

/** Request and response bodies of the deliveries API. */
final class DeliveryDtos {

    private DeliveryDtos() {
    }

    /**
     * One attempt to deliver: when, what came back (no status code when nothing did), how
     * long, what failed.
     */
    record AttemptResponse(int attempt, Instant at, Integer statusCode, int latencyMs, String error) {
    }

    /**
     * A delivery of one event to one webhook, with the event and every attempt so far.
     */
    record DeliveryResponse(UUID id, UUID webhookId, UUID eventId, String eventType, String sensorId, Long sequence,
            String state, int attemptCount, Instant nextAttemptAt, Instant createdAt, Instant completedAt,
            JsonNode event, List<AttemptResponse> attempts) {

        DeliveryResponse withAttempts(List<AttemptResponse> allAttempts) {
            return new DeliveryResponse(this.id, this.webhookId, this.eventId, this.eventType, this.sensorId,
                    this.sequence, this.state, this.attemptCount, this.nextAttemptAt, this.createdAt, this.completedAt,
                    this.event, allAttempts);
        }
    }

    /** Answer to a test, redelivery or recovery: what was queued. */
    record Queued(UUID deliveryId, UUID eventId, String state) {
    }

    /** Body of {@code POST /webhooks/{id}/recover}. */
    record RecoverRequest(@NotNull Instant since) {
    }

    /** Answer to a recovery: how many dead deliveries were made pending again. */
    record Recovered(int recovered) {
    }

}
