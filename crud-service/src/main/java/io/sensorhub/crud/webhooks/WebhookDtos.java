package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sensorhub.common.events.EventType;
import io.sensorhub.crud.web.MultiLine;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of the webhooks API. */
final class WebhookDtos {

    static final int MAX_DESCRIPTION = 1000;

    static final int MAX_FILTER = 1000;

    static final String SENSOR_ID = "[A-Za-z0-9._:-]{1,64}";

    static final String STATUS = "UNKNOWN|OK|WARNING|CRITICAL|FAULT|OFFLINE";

    /** The event catalogue ({@code EventType}), as a pattern. */
    static final String EVENT_TYPE = "sensor\\.status_changed|sensor\\.status_reminder|webhook\\.failing"
            + "|webhook\\.disabled|webhook\\.recovered|webhook\\.test";

    static final String EVENT_TYPES = "sensor.status_changed, sensor.status_reminder, webhook.failing, "
            + "webhook.disabled, webhook.recovered, webhook.test";

    static final int MIN_REPEAT_INTERVAL = 60;

    /** A week, like a sensor's heartbeat. */
    static final int MAX_REPEAT_INTERVAL = 604_800;

    static final String EVENT_TYPES_DESCRIPTION = "The events sent to this webhook (default [\"sensor.status_changed\"], "
            + "with \"sensor.status_reminder\" when repeatInterval is given): any of " + EVENT_TYPES
            + ". sensor.status_reminder goes with repeatInterval. A webhook.test is sent when asked for, whatever "
            + "this lists.";

    static final String REPEAT_INTERVAL_DESCRIPTION = "Seconds between sensor.status_reminder events while a sensor "
            + "stays CRITICAL, FAULT or OFFLINE unacknowledged (60 to 604800); null: no reminders.";

    private WebhookDtos() {
    }

    /**
     * Body of {@code POST /webhooks}; also the representation a {@code PATCH} (JSON merge
     * patch) is applied to.
     */
    record WebhookCreation(@NotBlank String url, @Size(max = MAX_DESCRIPTION) @MultiLine String description,
            @Size(max = MAX_FILTER) List<@NotNull @Pattern(regexp = SENSOR_ID) String> sensorIds,
            @Size(max = 6) List<@NotNull @Pattern(regexp = STATUS,
                    message = "must be one of " + STATUS) String> statuses,
            Boolean enabled,
            @Schema(description = EVENT_TYPES_DESCRIPTION) @Size(min = 1,
                    max = 6) List<@NotNull @Pattern(regexp = EVENT_TYPE,
                            message = "must be one of " + EVENT_TYPES) String> eventTypes,
            @Schema(description = REPEAT_INTERVAL_DESCRIPTION) @Min(MIN_REPEAT_INTERVAL) @Max(MAX_REPEAT_INTERVAL) Integer repeatInterval) {

        WebhookSettings settings() {
            return new WebhookSettings(this.url, this.description, distinct(this.sensorIds), distinct(this.statuses),
                    this.enabled == null || this.enabled, eventTypesOrDefault(), this.repeatInterval);
        }

        static WebhookCreation of(WebhookSettings settings) {
            return new WebhookCreation(settings.url(), settings.description(), settings.sensorIds(),
                    settings.statuses(), settings.enabled(), settings.eventTypes(), settings.repeatInterval());
        }

        private List<String> eventTypesOrDefault() {
            if (this.eventTypes != null) {
                return distinct(this.eventTypes);
            }
            return (this.repeatInterval != null)
                    ? List.of(EventType.STATUS_CHANGED.wireName(), EventType.STATUS_REMINDER.wireName())
                    : List.of(EventType.STATUS_CHANGED.wireName());
        }
    }

    /** A webhook as listed and read; never with its secret. */
    record WebhookResponse(UUID id, String url, String description, List<String> sensorIds, List<String> statuses,
            List<String> eventTypes, Integer repeatInterval, boolean enabled, String disabledReason,
            Instant secretRotatedAt, Instant createdAt, Instant updatedAt) {

        static WebhookResponse of(Webhook webhook) {
            WebhookSettings settings = webhook.settings();
            return new WebhookResponse(webhook.id(), settings.url(), settings.description(), settings.sensorIds(),
                    settings.statuses(), settings.eventTypes(), settings.repeatInterval(), settings.enabled(),
                    webhook.disabledReason(), webhook.secretRotatedAt(), webhook.createdAt(), webhook.updatedAt());
        }
    }

    /** A webhook with its secret: answered only when the secret is created or rotated. */
    record WebhookWithSecret(UUID id, String url, String description, List<String> sensorIds, List<String> statuses,
            List<String> eventTypes, Integer repeatInterval, boolean enabled, String disabledReason, String secret,
            Instant createdAt, Instant updatedAt) {

        static WebhookWithSecret of(Webhook webhook) {
            WebhookResponse response = WebhookResponse.of(webhook);
            return new WebhookWithSecret(response.id(), response.url(), response.description(), response.sensorIds(),
                    response.statuses(), response.eventTypes(), response.repeatInterval(), response.enabled(),
                    response.disabledReason(), webhook.secret(), response.createdAt(), response.updatedAt());
        }
    }

    private static List<String> distinct(List<String> values) {
        return (values != null) ? values.stream().distinct().toList() : null;
    }

}
