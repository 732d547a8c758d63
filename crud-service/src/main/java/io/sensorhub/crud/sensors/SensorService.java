package io.sensorhub.crud.sensors;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import java.util.function.UnaryOperator;

import io.sensorhub.crud.sensors.SensorDtos.SensorReplacement;
import io.sensorhub.crud.sensors.SensorDtos.SensorResponse;
import io.sensorhub.crud.web.ConflictException;
import io.sensorhub.crud.web.FieldViolation;
import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A client's sensors: every write checks ownership, thresholds with hysteresis and, when
 * asked, the expected version.
 */
@Service
class SensorService {

    private final SensorRepository sensors;

    private final SensorQueries queries;

    private final SensorRemoval removal;

    private final SensorStates states;

    private final SensorSettingsCache settingsCache;

    private final JdbcClient jdbc;

    SensorService(SensorRepository sensors, SensorQueries queries, SensorRemoval removal, SensorStates states,
            SensorSettingsCache settingsCache, JdbcClient jdbc) {
        this.sensors = sensors;
        this.queries = queries;
        this.removal = removal;
        this.states = states;
        this.settingsCache = settingsCache;
        this.jdbc = jdbc;
    }

    /**
     * Registers a sensor with its {@code sensor_state} row (UNKNOWN, sequence 0), which
     * ingest then updates.
     */
    @Transactional
    SensorResponse create(UUID clientId, String id, SensorSettings settings) {
        checkSettings(settings);
        if (this.sensors.existsById(id)) {
            throw new ConflictException("Sensor id '" + id + "' is already taken");
        }
        this.sensors.saveAndFlush(new Sensor(id, clientId, settings, Instant.now()));
        this.jdbc.sql("INSERT INTO sensor_state (sensor_id, status, sequence) VALUES (?, 'UNKNOWN', 0)")
            .param(id)
            .update();
        this.states.evictAfterCommit(List.of(id));
        this.settingsCache.changed(id);
        return read(id, clientId);
    }

    /**
     * The sensor with its current state from the cache (PostgreSQL on a miss); no
     * transaction: the hot path.
     */
    SensorResponse get(String id, UUID clientId) {
        SensorSettingsCache.Owned owned = this.settingsCache.find(SensorIds.requireWellFormed(id), clientId)
            .orElseThrow(() -> new NotFoundException("sensor", id));
        return owned.sensor().withState(this.states.current(id, owned.acknowledgement()));
    }

    /**
     * Acknowledges the sensor's current status (the sequence its state has now),
     * replacing an earlier acknowledgement: a client command of its own, so the state
     * itself stays sensor-consumer's. It shows until the next status change, and
     * notifier-job sends no reminders of an acknowledged status.
     */
    @Transactional
    SensorResponse acknowledge(UUID clientId, String id, String comment) {
        owned(id, clientId);
        this.jdbc.sql("""
                INSERT INTO sensor_acknowledgements (sensor_id, sequence, at, comment)
                SELECT sensor_id, sequence, now(), ? FROM sensor_state WHERE sensor_id = ?
                ON CONFLICT (sensor_id) DO UPDATE
                SET sequence = excluded.sequence, at = excluded.at, comment = excluded.comment""")
            .params(comment, id)
            .update();
        this.settingsCache.changed(id);
        return read(id, clientId);
    }

    @Transactional(readOnly = true)
    Page<SensorResponse> list(UUID clientId, String type, String status, PageQuery page) {
        return this.queries.list(clientId, type, status, page);
    }

    @Transactional
    SensorResponse replace(UUID clientId, String id, SensorSettings settings, String ifMatch) {
        checkSettings(settings);
        Sensor sensor = owned(id, clientId);
        ETags.checkIfMatch(ifMatch, sensor.version());
        sensor.apply(settings, Instant.now());
        this.sensors.saveAndFlush(sensor);
        this.settingsCache.changed(id);
        return read(id, clientId);
    }

    /**
     * Applies a patch to the sensor's current settings (as a {@link SensorReplacement})
     * and stores the result.
     */
    @Transactional
    SensorResponse patch(UUID clientId, String id, UnaryOperator<SensorReplacement> patch, String ifMatch) {
        Sensor sensor = owned(id, clientId);
        ETags.checkIfMatch(ifMatch, sensor.version());
        SensorReplacement patched = patch.apply(SensorReplacement.of(id, sensor.settings()));
        if (!id.equals(patched.id())) {
            throw new InvalidInputException("id", "must be the id in the path");
        }
        SensorSettings settings = patched.settings();
        checkSettings(settings);
        sensor.apply(settings, Instant.now());
        this.sensors.saveAndFlush(sensor);
        this.settingsCache.changed(id);
        return read(id, clientId);
    }

    /** Deletes the sensor, its state, its history and its cached state. */
    @Transactional
    void delete(UUID clientId, String id, String ifMatch) {
        Sensor sensor = owned(id, clientId);
        ETags.checkIfMatch(ifMatch, sensor.version());
        this.removal.remove(id, clientId);
        this.sensors.delete(sensor);
    }

    private Sensor owned(String id, UUID clientId) {
        return this.sensors.findByIdAndClientId(SensorIds.requireWellFormed(id), clientId)
            .orElseThrow(() -> new NotFoundException("sensor", id));
    }

    private SensorResponse read(String id, UUID clientId) {
        return this.queries.find(id, clientId).orElseThrow(() -> new NotFoundException("sensor", id));
    }

    private static void checkSettings(SensorSettings settings) {
        List<FieldViolation> violations = ThresholdRules.violations("thresholds.", settings.thresholds());
        if (violations.isEmpty()) {
            violations = ThresholdRules.hysteresisViolations("hysteresis", settings.hysteresis(),
                    settings.thresholds());
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

}
