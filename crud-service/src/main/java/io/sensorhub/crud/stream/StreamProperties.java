package io.sensorhub.crud.stream;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The live event stream (docs/operations.md, live stream). Every limit is per
 * crud-service instance.
 *
 * @param keepAlive how long a stream may stay silent before a comment line is sent (the
 * contract: at least every 15 s)
 * @param queueCapacity events waiting to be written to one stream; a reader that lets
 * more pile up is disconnected (its last event says from where to resume)
 * @param perClient open streams of one client
 * @param total open streams in all
 * @param pollInterval how often new events are looked for without a notification (the
 * most a lost {@code NOTIFY} can delay an event)
 * @param replayPage events read per query when a stream resumes
 */
@Validated
@ConfigurationProperties("sensorhub.stream")
public record StreamProperties(@DefaultValue("10s") Duration keepAlive, @Min(1) @DefaultValue("1000") int queueCapacity,
        @Min(1) @DefaultValue("10") int perClient, @Min(1) @DefaultValue("1000") int total,
        @DefaultValue("2s") Duration pollInterval, @Min(1) @DefaultValue("500") int replayPage) {
}
