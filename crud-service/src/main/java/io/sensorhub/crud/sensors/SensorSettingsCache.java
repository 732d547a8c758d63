package io.sensorhub.crud.sensors;

import java.util.Optional;
import java.util.UUID;

import io.sensorhub.crud.cache.CacheInvalidations;
import io.sensorhub.crud.cache.CacheProperties;
import io.sensorhub.crud.cache.LocalCache;
import io.sensorhub.crud.sensors.SensorDtos.SensorResponse;
import org.springframework.stereotype.Component;

/**
 * Sensor settings (without state) by id, with the sensor's latest acknowledgement, cached
 * briefly for {@code GET /sensors/{id}}. Every write of a sensor or its acknowledgement
 * evicts it on every instance through {@link CacheInvalidations}; ownership is checked on
 * every read.
 */
@Component
class SensorSettingsCache {

    static final String SENSOR = "sensor";

    static final String OWNER = "sensors-of";

    private final LocalCache<String, Owned> cache;

    private final SensorQueries queries;

    private final CacheInvalidations invalidations;

    /**
     * A sensor, the client it belongs to, and its latest acknowledgement (null when
     * none).
     */
    record Owned(UUID clientId, SensorResponse sensor, Acknowledgement acknowledgement) {
    }

    SensorSettingsCache(CacheProperties properties, SensorQueries queries, CacheInvalidations invalidations) {
        this.cache = properties.newCache();
        this.queries = queries;
        this.invalidations = invalidations;
        invalidations.register(SENSOR, this.cache, this.cache::invalidate);
        invalidations.register(OWNER, this.cache,
                clientId -> this.cache.invalidateIf(owned -> owned.clientId().toString().equals(clientId)));
    }

    /**
     * The client's sensor, without state; empty when it does not exist or is another
     * client's.
     */
    Optional<Owned> find(String id, UUID clientId) {
        Optional<Owned> owned = this.cache.get(id, System.nanoTime());
        if (owned.isEmpty() || !owned.get().clientId().equals(clientId)) {
            long generation = this.cache.generation();
            owned = this.queries.findSettings(id);
            owned.ifPresent(found -> this.cache.put(id, found, generation, System.nanoTime()));
        }
        return owned.filter(found -> found.clientId().equals(clientId));
    }

    /**
     * The sensor changed, was acknowledged or was deleted: call inside the transaction
     * that does it.
     */
    void changed(String id) {
        this.invalidations.publish(SENSOR, id);
    }

    /**
     * Every sensor of the client was deleted: call inside the transaction that does it.
     */
    void allOfClientChanged(UUID clientId) {
        this.invalidations.publish(OWNER, clientId.toString());
    }

}
