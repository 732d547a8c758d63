package io.sensorhub.crud.limits;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits per client (docs/operations.md, limits). The same on every crud-service
 * instance: they share their counts through PostgreSQL.
 *
 * @param webhooksPerClient how many webhooks a client may have
 * @param deliveryRequestsPerWebhookPerMinute how many test events, redeliveries and
 * recoveries of one webhook are accepted in any minute
 * @param silencesPerClient how many silences that have not ended a client may have
 */
@Validated
@ConfigurationProperties("sensorhub.limits")
public record LimitProperties(@Min(1) @DefaultValue("20") int webhooksPerClient,
        @Min(1) @DefaultValue("10") int deliveryRequestsPerWebhookPerMinute,
        @Min(1) @DefaultValue("100") int silencesPerClient) {
}
