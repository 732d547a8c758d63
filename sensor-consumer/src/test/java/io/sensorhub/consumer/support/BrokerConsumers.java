package io.sensorhub.consumer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the broker says about the ingest partitions' consumers (RabbitMQ's management
 * API): for each partition queue, the connection of its active consumer. A
 * sensor-consumer instance names its connections {@code sensor-consumer <member>}, with
 * its host and process id in the member name.
 */
public final class BrokerConsumers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BrokerConsumers() {
    }

    /**
     * Partition number → the name of the connection of its active consumer, for the
     * partitions of this name prefix that have one.
     */
    public static Map<Integer, String> activeByPartition(String prefix) {
        TestServices services = TestServices.get();
        String vhost = URLEncoder.encode(services.amqpVirtualHost(), StandardCharsets.UTF_8);
        String queuePrefix = prefix + ReadingTopology.INGEST_QUEUE + ".";
        Map<Integer, String> active = new TreeMap<>();
        try {
            for (JsonNode consumer : JSON.readTree(services.rabbitManagementGet("/api/consumers/" + vhost))) {
                String queue = consumer.path("queue").path("name").asString();
                if (queue.startsWith(queuePrefix) && consumer.path("active").asBoolean(true)) {
                    String previous = active.put(Integer.parseInt(queue.substring(queuePrefix.length())),
                            consumer.path("channel_details").path("connection_name").asString());
                    if (previous != null) {
                        throw new AssertionError("two active consumers on " + queue);
                    }
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return active;
    }

}
