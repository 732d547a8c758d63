package io.sensorhub.consumer.ingest;

import io.sensorhub.common.readings.ReadingTopology;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The names of the ingest topology ({@link ReadingTopology}, docs/ingest.md) as this
 * deployment uses them.
 *
 * @param prefix put before every exchange and queue name (empty in production; lets test
 * runs or deployments share a virtual host)
 */
@Validated
@ConfigurationProperties("sensorhub.amqp")
public record AmqpProperties(@NotNull @DefaultValue("") String prefix) {

    /** The topic exchange sensors publish to. */
    public String exchange() {
        return this.prefix + ReadingTopology.EXCHANGE;
    }

    /** The quorum queue sensor-consumer reads. */
    public String queue() {
        return this.prefix + ReadingTopology.INGEST_QUEUE;
    }

    /** The queue of readings that cannot be accepted. */
    public String deadQueue() {
        return this.prefix + ReadingTopology.DEAD_QUEUE;
    }

    /**
     * The binding key on {@link ReadingTopology#MQTT_EXCHANGE} of readings published with
     * MQTT. The exchange is the broker's own, so the prefix goes into the key: with a
     * prefix {@code p.}, devices publish to {@code p/sensorhub/readings/<sensorId>}.
     */
    public String mqttBindingKey() {
        return this.prefix + ReadingTopology.MQTT_BINDING_KEY;
    }
}
