package io.sensorhub.crud.sensors;

import java.time.Instant;
import java.util.Objects;

import io.sensorhub.common.status.Thresholds;
import io.sensorhub.crud.web.SingleLine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of the sensors API. */
final class SensorDtos {

    static final String ID_PATTERN = SensorIds.PATTERN;

    static final int MAX_TEXT = 200;

    static final int MIN_HEARTBEAT = 5;

    /** A week: longer silences are not a heartbeat. */
    static final int MAX_HEARTBEAT = 604_800;

    private SensorDtos() {
    }

    /** Body of {@code POST /sensors}. */
    record SensorCreation(@NotNull @Pattern(regexp = ID_PATTERN) String id,
            @NotBlank @Size(max = MAX_TEXT) @SingleLine String name, @Size(max = MAX_TEXT) @SingleLine String type,
            @Size(max = MAX_TEXT) @SingleLine String unit, @Valid Thresholds thresholds,
            @Min(MIN_HEARTBEAT) @Max(MAX_HEARTBEAT) Integer heartbeatSeconds) {

        SensorSettings settings() {
            return new SensorSettings(this.name, this.type, this.unit,
                    Objects.requireNonNullElse(this.thresholds, Thresholds.NONE),
                    SensorSettings.heartbeatOrDefault(this.heartbeatSeconds));
        }
    }

    /**
     * Body of {@code PUT /sensors/{id}}: every setting; an absent optional one is cleared
     * or defaulted. Also the representation a {@code PATCH} (JSON merge patch) is applied
     * to.
     */
    record SensorReplacement(@Pattern(regexp = ID_PATTERN) String id,
            @NotBlank @Size(max = MAX_TEXT) @SingleLine String name, @Size(max = MAX_TEXT) @SingleLine String type,
            @Size(max = MAX_TEXT) @SingleLine String unit, @Valid Thresholds thresholds,
            @Min(MIN_HEARTBEAT) @Max(MAX_HEARTBEAT) Integer heartbeatSeconds) {

        static SensorReplacement of(String id, SensorSettings settings) {
            return new SensorReplacement(id, settings.name(), settings.type(), settings.unit(), settings.thresholds(),
                    settings.heartbeatSeconds());
        }

        SensorSettings settings() {
            return new SensorSettings(this.name, this.type, this.unit,
                    Objects.requireNonNullElse(this.thresholds, Thresholds.NONE),
                    SensorSettings.heartbeatOrDefault(this.heartbeatSeconds));
        }
    }

    /** The current state of a sensor. */
    record StateResponse(String status, Double value, Instant reportedAt, Instant since, long sequence) {
    }

    /** A sensor with its current state. */
    record SensorResponse(String id, String name, String type, String unit, Thresholds thresholds, int heartbeatSeconds,
            long version, Instant createdAt, Instant updatedAt, StateResponse state) {

        SensorResponse withState(StateResponse current) {
            return new SensorResponse(this.id, this.name, this.type, this.unit, this.thresholds, this.heartbeatSeconds,
                    this.version, this.createdAt, this.updatedAt, current);
        }
    }

}
