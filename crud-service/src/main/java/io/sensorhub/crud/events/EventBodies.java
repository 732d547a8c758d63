package io.sensorhub.crud.events;

import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The bodies SensorHub POSTs to webhooks, one schema per event type, for the OpenAPI
 * document (they are referenced by {@code GET /event-types}). Every body is
 * {@code {"type", "timestamp", "data"}}; the bodies themselves are built by the database
 * (migrations V70 and V76), and {@code EventTypesApiIntegrationTest} checks that each
 * example the catalogue answers has exactly the fields described here.
 */
final class EventBodies {

    static final String TIME = "A time as every webhook body writes it: UTC, milliseconds, Z";

    static final String TIME_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$";

    private EventBodies() {
    }

    @Schema(name = "StatusChangedEvent", description = "sensor.status_changed: a sensor's status changed")
    record StatusChanged(@Schema(allowableValues = "sensor.status_changed") String type,
            @Schema(description = "When the change was recorded (its changedAt). " + TIME,
                    pattern = TIME_PATTERN) String timestamp,
            StatusChangeData data) {
    }

    @Schema(name = "StatusChangeData", description = "A status change")
    record StatusChangeData(String sensorId, String previousStatus, String status,
            @Schema(description = "The value of the reading that caused it; null for OFFLINE",
                    nullable = true) Double value,
            @Schema(description = "The timestamp of that reading; null for OFFLINE. " + TIME, nullable = true,
                    pattern = TIME_PATTERN) String reportedAt,
            @Schema(description = "When the change was recorded. " + TIME, pattern = TIME_PATTERN) String changedAt,
            @Schema(description = "The sensor's changes counted 1, 2, 3, … without gaps") long sequence) {
    }

    @Schema(name = "StatusReminderEvent",
            description = "sensor.status_reminder: a CRITICAL, FAULT or OFFLINE status lasts, unacknowledged")
    record StatusReminder(@Schema(allowableValues = "sensor.status_reminder") String type,
            @Schema(description = "When the reminder was made. " + TIME, pattern = TIME_PATTERN) String timestamp,
            StatusReminderData data) {
    }

    @Schema(name = "StatusReminderData",
            description = "The data of the change that is still current (same sequence), and the reminder's number")
    record StatusReminderData(String sensorId, String previousStatus, String status,
            @Schema(nullable = true) Double value, @Schema(nullable = true, pattern = TIME_PATTERN) String reportedAt,
            @Schema(pattern = TIME_PATTERN) String changedAt, long sequence,
            @Schema(description = "1, 2, … for the reminders of this change") int reminder) {
    }

    @Schema(name = "WebhookFailingEvent",
            description = "webhook.failing: another webhook of the client failed this many attempts in a row")
    record WebhookFailing(@Schema(allowableValues = "webhook.failing") String type,
            @Schema(description = "The attempt that made it failing. " + TIME, pattern = TIME_PATTERN) String timestamp,
            WebhookFailingData data) {
    }

    @Schema(name = "WebhookFailingData")
    record WebhookFailingData(UUID webhookId, String url,
            @Schema(description = "Its first failed attempt since its last success. " + TIME,
                    pattern = TIME_PATTERN) String failingSince,
            @Schema(description = "Failed attempts in a row (sensorhub.webhooks.failing-after)") int consecutiveFailures,
            @Schema(description = "Why the last attempt failed") String lastError) {
    }

    @Schema(name = "WebhookDisabledEvent", description = "webhook.disabled: SensorHub disabled another webhook")
    record WebhookDisabled(@Schema(allowableValues = "webhook.disabled") String type,
            @Schema(description = "When it was disabled. " + TIME, pattern = TIME_PATTERN) String timestamp,
            WebhookDisabledData data) {
    }

    @Schema(name = "WebhookDisabledData")
    record WebhookDisabledData(UUID webhookId, String url, String disabledReason,
            @Schema(pattern = TIME_PATTERN) String disabledAt) {
    }

    @Schema(name = "WebhookRecoveredEvent",
            description = "webhook.recovered: a webhook reported as failing succeeded again")
    record WebhookRecovered(@Schema(allowableValues = "webhook.recovered") String type,
            @Schema(description = "Its first success. " + TIME, pattern = TIME_PATTERN) String timestamp,
            WebhookRecoveredData data) {
    }

    @Schema(name = "WebhookRecoveredData")
    record WebhookRecoveredData(UUID webhookId, String url,
            @Schema(description = "As reported by webhook.failing", pattern = TIME_PATTERN) String failingSince,
            @Schema(pattern = TIME_PATTERN) String recoveredAt) {
    }

    @Schema(name = "WebhookTestEvent", description = "webhook.test: sent when the client asks for it")
    record WebhookTest(@Schema(allowableValues = "webhook.test") String type,
            @Schema(description = "When it was queued. " + TIME, pattern = TIME_PATTERN) String timestamp,
            WebhookTestData data) {
    }

    @Schema(name = "WebhookTestData")
    record WebhookTestData(UUID webhookId) {
    }

}
