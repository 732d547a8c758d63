package io.sensorhub.crud.sensors;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Removes what a deleted sensor leaves behind outside its own row: its readings and
 * status changes (not tied by foreign keys, partitioned), its not yet fanned-out changes,
 * and its id in its client's webhook filters. A sensor id may be registered again, by any
 * client, and must then start with no history.
 * <p>
 * The purge first locks the sensors' {@code sensor_state} rows, in id order, as ingest
 * does before it stores a batch ({@code SensorStateStore.lock}): a batch that holds the
 * lock commits before the purge reads, and one that comes later finds no state row and
 * stores nothing (the sensor is unknown to it). Without the lock, a batch committing
 * during the purge would leave readings and changes behind for the id's next owner.
 */
@Component
public class SensorRemoval {

    private final JdbcClient jdbc;

    private final SensorStates states;

    private final SensorSettingsCache settingsCache;

    SensorRemoval(JdbcClient jdbc, SensorStates states, SensorSettingsCache settingsCache) {
        this.jdbc = jdbc;
        this.states = states;
        this.settingsCache = settingsCache;
    }

    /**
     * Purges the history of every sensor of a client, inside the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void removeAllOf(UUID clientId) {
        List<String> ids = this.jdbc.sql("SELECT id FROM sensors WHERE client_id = ? ORDER BY id")
            .param(clientId)
            .query(String.class)
            .list();
        if (!ids.isEmpty()) {
            purge(ids.toArray(String[]::new));
        }
        this.settingsCache.allOfClientChanged(clientId);
    }

    /** Purges one sensor's history and drops it from its client's webhook filters. */
    @Transactional(propagation = Propagation.MANDATORY)
    void remove(String sensorId, UUID clientId) {
        purge(new String[] { sensorId });
        this.settingsCache.changed(sensorId);
        this.jdbc.sql("""
                UPDATE webhooks SET sensor_ids = array_remove(sensor_ids, :id), updated_at = now()
                WHERE client_id = :client AND sensor_ids @> ARRAY[CAST(:id AS text)]""")
            .param("id", sensorId)
            .param("client", clientId)
            .update();
    }

    private void purge(String[] ids) {
        lockStates(ids);
        this.jdbc.sql("DELETE FROM readings WHERE sensor_id = ANY(?)").param(ids).update();
        this.jdbc.sql("DELETE FROM status_changes WHERE sensor_id = ANY(?)").param(ids).update();
        this.jdbc.sql("DELETE FROM status_change_outbox WHERE sensor_id = ANY(?)").param(ids).update();
        this.states.evictAfterCommit(List.of(ids));
    }

    /**
     * Waits for ingest batches of these sensors in progress, and keeps new ones out until
     * the commit.
     */
    private void lockStates(String[] ids) {
        this.jdbc.sql("SELECT sensor_id FROM sensor_state WHERE sensor_id = ANY(?) ORDER BY sensor_id FOR UPDATE")
            .param(ids)
            .query(String.class)
            .list();
    }

}
