package io.sensorhub.crud.silences;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sensorhub.common.status.Status;
import io.sensorhub.crud.web.MultiLine;
import io.sensorhub.crud.web.SingleLine;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of the silences API. */
final class SilenceDtos {

    static final int MAX_SENSORS = 1000;

    static final int MAX_COMMENT = 1000;

    static final String SENSOR_ID = "[A-Za-z0-9._:-]{1,64}";

    /** A local time of day, {@code HH:MM}. */
    static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";

    private SilenceDtos() {
    }

    /**
     * Body of {@code POST /silences}: one-off ({@code startsAt}, {@code endsAt}) or
     * recurring ({@code schedule}), never both.
     */
    @Schema(description = "A one-off silence (startsAt and endsAt) or a recurring one (schedule); "
            + "absent sensorIds or statuses match all")
    record SilenceCreation(
            @Schema(description = "Only these sensors of yours; absent: all, now and later") @Size(min = 1,
                    max = MAX_SENSORS) List<@NotNull @Pattern(regexp = SENSOR_ID) String> sensorIds,
            @Schema(description = "Only changes to these statuses; absent: every change") @Size(min = 1,
                    max = 6) List<@NotNull Status> statuses,
            @Schema(description = "One-off: the start, inclusive") Instant startsAt,
            @Schema(description = "One-off: the end, exclusive; after startsAt and in the future") Instant endsAt,
            @Valid Schedule schedule, @Size(max = MAX_COMMENT) @MultiLine String comment) {

        List<String> distinctSensorIds() {
            return (this.sensorIds != null) ? this.sensorIds.stream().distinct().toList() : null;
        }

        List<Status> distinctStatuses() {
            return (this.statuses != null) ? this.statuses.stream().distinct().toList() : null;
        }
    }

    /**
     * A recurring silence's window: from {@code start} on each of {@code weekdays} to
     * {@code end}, local times in {@code timezone}; an end not after the start is on the
     * next day (equal: a whole day).
     */
    @Schema(description = "A window from start on each of the weekdays to end, in the time zone; an end not after "
            + "the start is on the next day (equal to it: 24 hours). The weekday is the day the window starts")
    record Schedule(@NotEmpty @Size(max = 7) List<@NotNull Weekday> weekdays,
            @NotNull @Pattern(regexp = TIME, message = "must be a time HH:MM") @Schema(example = "22:00") String start,
            @NotNull @Pattern(regexp = TIME, message = "must be a time HH:MM") @Schema(example = "06:00") String end,
            @NotBlank @Size(max = 64) @SingleLine @Schema(description = "An IANA time zone",
                    example = "Europe/Berlin") String timezone) {

        List<Weekday> distinctWeekdays() {
            return this.weekdays.stream().distinct().sorted().toList();
        }
    }

    /** A silence as created, read and listed. */
    record SilenceResponse(UUID id, List<String> sensorIds, List<Status> statuses, Instant startsAt, Instant endsAt,
            Schedule schedule, String comment,
            @Schema(description = "Whether it silences changes right now") boolean active, Instant createdAt) {
    }

}
