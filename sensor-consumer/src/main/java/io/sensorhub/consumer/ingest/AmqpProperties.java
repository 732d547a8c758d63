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

    /** The consistent-hash exchange in front of the partitions. */
    public String partitionExchange() {
        return this.prefix + ReadingTopology.PARTITION_EXCHANGE;
    }

    /** The quorum queue of ingest partition {@code partition}. */
    public String partitionQueue(int partition) {
        return this.prefix + ReadingTopology.partitionQueue(partition);
    }

    /**
     * The single ingest queue of versions before 1.1, drained and deleted where it still
     * exists.
     */
    public String legacyQueue() {
        return this.prefix + ReadingTopology.INGEST_QUEUE;
    }

    /**
     * The group whose instances share the partitions: one per topology, so deployments
     * sharing a database never share partitions.
     */
    public String ingestGroup() {
        return this.prefix + ReadingTopology.EXCHANGE;
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
