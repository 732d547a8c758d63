package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sensorhub.crud.web.MultiLine;
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
            Boolean enabled) {

        WebhookSettings settings() {
            return new WebhookSettings(this.url, this.description, distinct(this.sensorIds), distinct(this.statuses),
                    this.enabled == null || this.enabled);
        }

        static WebhookCreation of(WebhookSettings settings) {
            return new WebhookCreation(settings.url(), settings.description(), settings.sensorIds(),
                    settings.statuses(), settings.enabled());
        }
    }

    /** A webhook as listed and read; never with its secret. */
    record WebhookResponse(UUID id, String url, String description, List<String> sensorIds, List<String> statuses,
            boolean enabled, String disabledReason, Instant secretRotatedAt, Instant createdAt, Instant updatedAt) {

        static WebhookResponse of(Webhook webhook) {
            WebhookSettings settings = webhook.settings();
            return new WebhookResponse(webhook.id(), settings.url(), settings.description(), settings.sensorIds(),
                    settings.statuses(), settings.enabled(), webhook.disabledReason(), webhook.secretRotatedAt(),
                    webhook.createdAt(), webhook.updatedAt());
        }
    }

    /** A webhook with its secret: answered only when the secret is created or rotated. */
    record WebhookWithSecret(UUID id, String url, String description, List<String> sensorIds, List<String> statuses,
            boolean enabled, String disabledReason, String secret, Instant createdAt, Instant updatedAt) {

        static WebhookWithSecret of(Webhook webhook) {
            WebhookResponse response = WebhookResponse.of(webhook);
            return new WebhookWithSecret(response.id(), response.url(), response.description(), response.sensorIds(),
                    response.statuses(), response.enabled(), response.disabledReason(), webhook.secret(),
                    response.createdAt(), response.updatedAt());
        }
    }

    private static List<String> distinct(List<String> values) {
        return (values != null) ? values.stream().distinct().toList() : null;
    }

}
