package io.sensorhub.consumer.offline;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The OFFLINE watchdog of sensor-consumer (docs/ingest.md: OFFLINE within 5 s after the
 * heartbeat). The prefix names no service: the settings kept their names when the
 * watchdog moved from notifier-job.
 *
 * @param enabled whether this instance runs the watchdog (safe on every instance)
 * @param interval how often silent sensors are looked for; well under 5 s
 * @param batchSize sensors marked OFFLINE per transaction
 */
@Validated
@ConfigurationProperties("sensorhub.watchdog")
public record WatchdogProperties(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("1s") Duration interval,
        @Min(1) @Max(10000) @DefaultValue("500") int batchSize) {
}
