package io.sensorhub.common.partitions;

import java.util.List;

import io.sensorhub.common.config.StorageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the day partitions of {@code readings} and {@code status_changes} ready: today
 * minus retention up to {@code partitionsAhead} days ahead exist, older ones are dropped.
 * The work is the database function {@code sensorhub_maintain_partitions} (V2 migration),
 * which serialises concurrent callers, so every instance of every service may run this.
 */
public class PartitionMaintenance {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);

    private final JdbcClient jdbc;

    private final StorageProperties properties;

    public PartitionMaintenance(JdbcClient jdbc, StorageProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Creates missing partitions and drops expired ones; answers what it did, e.g.
     * "created readings_p20261201".
     */
    public List<String> run() {
        List<String> actions = this.jdbc
            .sql("SELECT action || ' ' || partition_name FROM sensorhub_maintain_partitions(?, ?)")
            .params(this.properties.retentionDays(), this.properties.partitionsAhead())
            .query(String.class)
            .list();
        if (!actions.isEmpty()) {
            log.info("Partition maintenance: {}", actions);
        }
        return actions;
    }

    /**
     * Scheduled entry point: a failure is logged and retried at the next interval, never
     * fatal.
     */
    public void runQuietly() {
        try {
            run();
        }
        catch (RuntimeException ex) {
            log.warn("Partition maintenance failed, retrying in {}: {}", this.properties.maintenanceInterval(),
                    ex.getMessage());
        }
    }

}
