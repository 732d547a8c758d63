package io.sensorhub.notifier.silences;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How notifier-job releases sensors held back by silences (docs/operations.md).
 *
 * @param recheckInterval how often every held sensor is checked even when no silence
 * ended and nothing was announced (the fallback for a lost notification)
 * @param releaseBatch held sensors released per transaction
 */
@Validated
@ConfigurationProperties("sensorhub.silences")
public record SilenceProperties(@NotNull @DefaultValue("1m") Duration recheckInterval,
        @Min(1) @DefaultValue("500") int releaseBatch) {
}
