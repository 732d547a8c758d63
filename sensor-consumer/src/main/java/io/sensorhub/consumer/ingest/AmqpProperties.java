package io.sensorhub.consumer.ingest;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The names of the ingest topology (docs/ingest.md).
 *
 * @param prefix put before every exchange and queue name (empty in production; lets test
 * runs or deployments share a virtual host)
 */
@Validated
@ConfigurationProperties("sensorhub.amqp")
public record AmqpProperties(@NotNull @DefaultValue("") String prefix) {

    /** The topic exchange sensors publish to. */
    public String exchange() {
        return this.prefix + "sensorhub.readings";
    }

    /** The quorum queue sensor-consumer reads. */
    public String queue() {
        return this.prefix + "sensorhub.readings.ingest";
    }

    /** The queue of readings that cannot be accepted. */
    public String deadQueue() {
        return this.prefix + "sensorhub.readings.dead";
    }
}
