package io.sensorhub.crud.sensors;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import io.sensorhub.common.status.Thresholds;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.DynamicUpdate;

/** A sensor as written through JPA; reads of the API go through {@link SensorQueries}. */
@Entity
@Table(name = "sensors")
@DynamicUpdate
class Sensor {

    @Id
    private String id;

    @Column(name = "client_id", nullable = false)
    private UUID clientId;

    @Column(nullable = false)
    private String name;

    private String type;

    private String unit;

    @Column(name = "warn_low")
    private Double warnLow;

    @Column(name = "warn_high")
    private Double warnHigh;

    @Column(name = "crit_low")
    private Double critLow;

    @Column(name = "crit_high")
    private Double critHigh;

    @Column(name = "heartbeat_seconds", nullable = false)
    private int heartbeatSeconds;

    @Column(nullable = false)
    private double hysteresis;

    @Column(name = "min_duration_seconds", nullable = false)
    private int minDurationSeconds;

    /**
     * Optimistic lock, exposed as the ETag; null until persisted, which marks the entity
     * new.
     */
    @Version
    private Long version;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Sensor() {
    }

    Sensor(String id, UUID clientId, SensorSettings settings, Instant now) {
        this.id = id;
        this.clientId = clientId;
        this.createdAt = now;
        apply(settings, now);
    }

    void apply(SensorSettings settings, Instant now) {
        this.name = settings.name();
        this.type = settings.type();
        this.unit = settings.unit();
        Thresholds thresholds = Objects.requireNonNullElse(settings.thresholds(), Thresholds.NONE);
        this.warnLow = thresholds.warnLow();
        this.warnHigh = thresholds.warnHigh();
        this.critLow = thresholds.critLow();
        this.critHigh = thresholds.critHigh();
        this.heartbeatSeconds = settings.heartbeatSeconds();
        this.hysteresis = settings.hysteresis();
        this.minDurationSeconds = settings.minDurationSeconds();
        this.updatedAt = now;
    }

    SensorSettings settings() {
        return new SensorSettings(this.name, this.type, this.unit,
                new Thresholds(this.warnLow, this.warnHigh, this.critLow, this.critHigh), this.heartbeatSeconds,
                this.hysteresis, this.minDurationSeconds);
    }

    String id() {
        return this.id;
    }

    long version() {
        return this.version;
    }

}
