package io.sensorhub.common.readings;

/**
 * The names of the AMQP and MQTT topology readings travel through (docs/ingest.md), each
 * named here once: sensor-consumer declares and consumes it, and the simulator, the
 * quickstart and the tests publish to it and read from it. Exchange and queue names are
 * used as they are in production; a deployment or a test run sharing a virtual host puts
 * a prefix before each ({@code sensorhub.amqp.prefix}).
 * <p>
 * Every name is a compile-time constant, so the simulator, which compiles against
 * {@code common} but does not ship it, gets the values copied into its own classes.
 */
public final class ReadingTopology {

    /** The durable topic exchange sensors publish readings to. */
    public static final String EXCHANGE = "sensorhub.readings";

    /**
     * What the names of the ingest partitions start with: partition {@code n} is the
     * quorum queue {@code sensorhub.readings.ingest.<n>} ({@link #partitionQueue}).
     * Before v1.1 this was the name of the single ingest queue, which sensor-consumer now
     * drains and deletes where it still exists.
     */
    public static final String INGEST_QUEUE = "sensorhub.readings.ingest";

    /**
     * The consistent-hash exchange that spreads readings over the ingest partitions by
     * their routing key, bound to {@link #EXCHANGE} with {@link #BINDING_KEY}.
     */
    public static final String PARTITION_EXCHANGE = "sensorhub.readings.partitions";

    /** The quorum queue of messages and readings that cannot be accepted. */
    public static final String DEAD_QUEUE = "sensorhub.readings.dead";

    /**
     * What a routing key starts with: a sensor publishes with
     * {@code ROUTING_KEY_PREFIX + sensorId}, i.e. {@code readings.<sensorId>}.
     */
    public static final String ROUTING_KEY_PREFIX = "readings.";

    /** The binding of {@link #INGEST_QUEUE}: every routing key of that form. */
    public static final String BINDING_KEY = ROUTING_KEY_PREFIX + "#";

    /**
     * What an MQTT topic starts with: a device publishes (QoS 1) to
     * {@code MQTT_TOPIC_PREFIX + sensorId}, i.e. {@code sensorhub/readings/<sensorId>}.
     */
    public static final String MQTT_TOPIC_PREFIX = "sensorhub/readings/";

    /**
     * The exchange RabbitMQ's MQTT plugin publishes to (its default), in the virtual host
     * the MQTT user name selects ({@code vhost:user}).
     */
    public static final String MQTT_EXCHANGE = "amq.topic";

    /**
     * The routing key the MQTT plugin gives a message published to
     * {@link #MQTT_TOPIC_PREFIX}{@code <sensorId>}: the topic with each {@code /} turned
     * into {@code .} (a {@code .} stays), i.e. {@code sensorhub.readings.<sensorId>}.
     */
    public static final String MQTT_ROUTING_KEY_PREFIX = "sensorhub.readings.";

    /**
     * The binding on {@link #MQTT_EXCHANGE} that takes MQTT readings into the ingest:
     * every routing key of that form.
     */
    public static final String MQTT_BINDING_KEY = MQTT_ROUTING_KEY_PREFIX + "#";

    /**
     * The dead-letter header stating why a message was dead-lettered:
     * {@code <code>: <explanation>} ({@link Rejection#header()}).
     */
    public static final String ERROR_HEADER = "x-sensorhub-error";

    /**
     * The dead-letter header holding the reason's code alone
     * ({@link RejectReason#code()}), for tools that route on it.
     */
    public static final String REASON_HEADER = "x-sensorhub-reason";

    /**
     * The dead-letter header holding the routing key the original message was published
     * with.
     */
    public static final String ROUTING_KEY_HEADER = "x-sensorhub-routing-key";

    private ReadingTopology() {
    }

    /** The name of ingest partition {@code partition} (0-based). */
    public static String partitionQueue(int partition) {
        return INGEST_QUEUE + "." + partition;
    }

}
