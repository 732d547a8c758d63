package io.sensorhub.common.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long history is kept and how partitions are prepared, shared by every service.
 *
 * @param retention how long readings and status changes are kept (and how old a reading
 * may be to be accepted)
 * @param partitionsAhead how many days of partitions exist ahead of today
 * @param maintenanceInterval how often partitions are created and dropped
 */
@Validated
@ConfigurationProperties("sensorhub")
public record StorageProperties(@NotNull @DefaultValue("30d") Duration retention,
        @Min(1) @Max(60) @DefaultValue("7") int partitionsAhead,
        @NotNull @DefaultValue("1h") Duration maintenanceInterval) {

    /** Retention in whole days, at least one. */
    public int retentionDays() {
        return (int) Math.max(1, retention.toDays());
    }
}
