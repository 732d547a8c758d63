package io.sensorhub.consumer.reconcile;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reconciliation of the Redis state cache with {@code sensor_state}.
 *
 * @param enabled whether this instance reconciles (every instance may; the work is
 * idempotent)
 * @param interval how often the whole cache is compared with the database
 * @param probeInterval how often Redis is pinged to notice it coming back (which triggers
 * a reconciliation)
 * @param pageSize sensors compared per database query
 */
@Validated
@ConfigurationProperties("sensorhub.reconcile")
public record ReconcileProperties(@DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("60s") Duration interval, @NotNull @DefaultValue("2s") Duration probeInterval,
        @Min(1) @Max(10000) @DefaultValue("1000") int pageSize) {
}
