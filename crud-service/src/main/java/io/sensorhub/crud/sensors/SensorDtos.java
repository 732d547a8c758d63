package io.sensorhub.crud.sensors;

import java.time.Instant;
import java.util.Objects;

import io.sensorhub.common.status.Thresholds;
import io.sensorhub.crud.web.MultiLine;
import io.sensorhub.crud.web.SingleLine;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
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

    static final int MAX_COMMENT = 1000;

    static final int MIN_HEARTBEAT = 5;

    /** A week: longer silences are not a heartbeat. */
    static final int MAX_HEARTBEAT = 604_800;

    /** A week, like the heartbeat: a status must not wait longer to be told. */
    static final int MAX_MIN_DURATION = 604_800;

    static final String HYSTERESIS = "A WARNING or CRITICAL status is kept until the value is more than this back "
            + "inside its threshold (default 0: none). Less than half the distance between warnLow and warnHigh, "
            + "and between critLow and critHigh.";

    static final String MIN_DURATION = "A new status becomes current only once readings have indicated it without "
            + "interruption for this many seconds of reading time; meanwhile the state shows it as pending "
            + "(default 0: at once; at most a week).";

    private SensorDtos() {
    }

    /** Body of {@code POST /sensors}. */
    record SensorCreation(@NotNull @Pattern(regexp = ID_PATTERN) String id,
            @NotBlank @Size(max = MAX_TEXT) @SingleLine String name, @Size(max = MAX_TEXT) @SingleLine String type,
            @Size(max = MAX_TEXT) @SingleLine String unit, @Valid Thresholds thresholds,
            @Min(MIN_HEARTBEAT) @Max(MAX_HEARTBEAT) Integer heartbeatSeconds,
            @Schema(description = HYSTERESIS) @DecimalMin("0") Double hysteresis,
            @Schema(description = MIN_DURATION) @Min(0) @Max(MAX_MIN_DURATION) Integer minDurationSeconds) {

        SensorSettings settings() {
            return new SensorSettings(this.name, this.type, this.unit,
                    Objects.requireNonNullElse(this.thresholds, Thresholds.NONE),
                    SensorSettings.heartbeatOrDefault(this.heartbeatSeconds),
                    SensorSettings.hysteresisOrDefault(this.hysteresis),
                    SensorSettings.minDurationOrDefault(this.minDurationSeconds));
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
            @Min(MIN_HEARTBEAT) @Max(MAX_HEARTBEAT) Integer heartbeatSeconds,
            @Schema(description = HYSTERESIS) @DecimalMin("0") Double hysteresis,
            @Schema(description = MIN_DURATION) @Min(0) @Max(MAX_MIN_DURATION) Integer minDurationSeconds) {

        static SensorReplacement of(String id, SensorSettings settings) {
            return new SensorReplacement(id, settings.name(), settings.type(), settings.unit(), settings.thresholds(),
                    settings.heartbeatSeconds(), settings.hysteresis(), settings.minDurationSeconds());
        }

        SensorSettings settings() {
            return new SensorSettings(this.name, this.type, this.unit,
                    Objects.requireNonNullElse(this.thresholds, Thresholds.NONE),
                    SensorSettings.heartbeatOrDefault(this.heartbeatSeconds),
                    SensorSettings.hysteresisOrDefault(this.hysteresis),
                    SensorSettings.minDurationOrDefault(this.minDurationSeconds));
        }
    }

    /**
     * The current state of a sensor.
     *
     * @param pending the status readings indicate that has not lasted the sensor's
     * {@code minDurationSeconds} yet; null when none
     * @param acknowledged the acknowledgement of the current status, until the next
     * status change; null when none
     */
    record StateResponse(String status, Double value, Instant reportedAt, Instant since, long sequence,
            PendingResponse pending, AcknowledgedResponse acknowledged) {
    }

    /**
     * An acknowledgement of a sensor's current status.
     *
     * @param at when it was acknowledged
     * @param comment the comment given, if any
     */
    @Schema(description = "The current status was acknowledged: no reminders of it are sent. Shown until the next "
            + "status change")
    record AcknowledgedResponse(Instant at, String comment) {
    }

    /** Body of {@code POST /sensors/{id}/acknowledge}; optional. */
    record AcknowledgementRequest(@Size(max = MAX_COMMENT) @MultiLine String comment) {
    }

    /**
     * A status waiting for the sensor's minimum duration.
     *
     * @param status the status readings indicate
     * @param since the timestamp of the first reading that indicated it
     */
    @Schema(description = "A status readings indicate that has not lasted the sensor's minDurationSeconds yet")
    record PendingResponse(String status, Instant since) {
    }

    /** A sensor with its current state. */
    record SensorResponse(String id, String name, String type, String unit, Thresholds thresholds, int heartbeatSeconds,
            double hysteresis, int minDurationSeconds, long version, Instant createdAt, Instant updatedAt,
            StateResponse state) {

        SensorResponse withState(StateResponse current) {
            return new SensorResponse(this.id, this.name, this.type, this.unit, this.thresholds, this.heartbeatSeconds,
                    this.hysteresis, this.minDurationSeconds, this.version, this.createdAt, this.updatedAt, current);
        }
    }

}
