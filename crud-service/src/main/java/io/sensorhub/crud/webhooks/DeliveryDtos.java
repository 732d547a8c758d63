package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

/** Request and response bodies of the deliveries API. */
final class DeliveryDtos {

    private DeliveryDtos() {
    }

    /**
     * One attempt to deliver: when, what came back (no status code when nothing did), how
     * long, what failed, and the beginning of the receiver's answer.
     */
    record AttemptResponse(int attempt, Instant at, Integer statusCode, int latencyMs, String error,
            @Schema(description = "The first 1 KiB of the receiver's response body, as text (invalid bytes and "
                    + "control characters other than tab and line breaks replaced by U+FFFD); "
                    + "null when no response came", nullable = true) String responseBody) {
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

    /**
     * A webhook's health: its deliveries waiting and dead, its attempts of the last hour,
     * its last success and last failure.
     */
    record StatsResponse(@Schema(description = "Deliveries pending (waiting for an attempt or a retry)") long pending,
            @Schema(description = "Deliveries dead (retries exhausted), until redelivered") long dead,
            @Schema(description = "Attempts in the last hour that got a 2xx") long succeededLastHour,
            @Schema(description = "Attempts in the last hour that did not") long failedLastHour,
            @Schema(description = "Latency of the attempts in the last hour") Latency latencyMs,
            @Schema(description = "Start of the newest successful attempt", nullable = true) Instant lastSuccessAt,
            @Schema(description = "Start of the newest failed attempt", nullable = true) Instant lastFailureAt,
            @Schema(description = "The error of the newest failed attempt", nullable = true) String lastError) {
    }

    /**
     * Percentiles of attempt latency in milliseconds (nearest rank: values some attempt
     * took); null when there was no attempt.
     */
    record Latency(@Schema(nullable = true) Integer p50, @Schema(nullable = true) Integer p99) {
    }

}
