package io.sensorhub.consumer.ingest;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * This instance's name among the instances that share the ingest partitions: host,
 * process id and a nonce (two instances in one JVM, as in tests, differ too). It names
 * the instance's row in {@code ingest_members} and its AMQP connections, so the broker's
 * consumer list shows which instance consumes which partition.
 *
 * @param name the name
 */
record IngestMember(String name) {

    /** A new name for this instance. */
    static IngestMember create() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "unknown-host";
        }
        return new IngestMember(host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The name of this instance's AMQP connections. */
    String connectionName() {
        return "sensor-consumer " + this.name;
    }

}
