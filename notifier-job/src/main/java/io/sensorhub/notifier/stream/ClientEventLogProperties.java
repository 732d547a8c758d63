package io.sensorhub.notifier.stream;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The live stream's log (docs/operations.md, live stream).
 *
 * @param retention how long an event stays in the log, so how far back a stream can
 * resume (the contract promises 24 hours)
 * @param pruneInterval how often events past the retention are deleted
 * @param pruneBatch rows deleted per transaction
 */
@Validated
@ConfigurationProperties("sensorhub.stream")
public record ClientEventLogProperties(@DefaultValue("24h") Duration retention,
        @DefaultValue("1m") Duration pruneInterval, @Min(1) @DefaultValue("10000") int pruneBatch) {
}
