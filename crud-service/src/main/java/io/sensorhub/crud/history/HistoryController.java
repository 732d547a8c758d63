package io.sensorhub.crud.history;

import java.time.Instant;

import io.sensorhub.common.config.StorageProperties;
import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.history.HistoryDtos.AggregateResponse;
import io.sensorhub.crud.history.HistoryDtos.ReadingResponse;
import io.sensorhub.crud.history.HistoryDtos.StatusChangeResponse;
import io.sensorhub.crud.sensors.SensorIds;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A sensor's history, newest first; the sensor must be the caller's own. */
@RestController
@RequestMapping(path = "/api/v1/sensors/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "History", description = "Readings and status changes of a sensor (client token)")
class HistoryController {

    private final HistoryQueries queries;

    private final StorageProperties storage;

    HistoryController(HistoryQueries queries, StorageProperties storage) {
        this.queries = queries;
        this.storage = storage;
    }

    @GetMapping("/readings")
    @Operation(summary = "Readings of a sensor in [from, to), newest first")
    Page<ReadingResponse> readings(ClientCaller caller, @PathVariable String id,
            @Parameter(description = "inclusive, RFC 3339; default: the retention period ago") @RequestParam(
                    required = false) String from,
            @Parameter(description = "exclusive, RFC 3339; default: a day from now") @RequestParam(
                    required = false) String to,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        PageQuery page = PageQuery.of(limit, cursor);
        TimeRange range = range(from, to);
        requireOwned(id, caller);
        return this.queries.readings(id, range, page);
    }

    @GetMapping("/readings/aggregate")
    @Operation(summary = "A sensor's values in buckets of time in [from, to), oldest first",
            description = "Buckets are aligned to UTC (a 1d bucket starts at 00:00 UTC), not to from: the first may "
                    + "be partial. Buckets without a reading with a value are left out. At most 2000 buckets.")
    AggregateResponse aggregate(ClientCaller caller, @PathVariable String id,
            @Parameter(description = "bucket width: 1m, 5m, 15m, 1h or 1d",
                    required = true) @RequestParam(required = false) String interval,
            @Parameter(description = "inclusive, RFC 3339; default: as far back as 2000 buckets reach") @RequestParam(
                    required = false) String from,
            @Parameter(description = "exclusive, RFC 3339; default: the end of the current bucket") @RequestParam(
                    required = false) String to) {
        Buckets buckets = Buckets.of(interval, from, to, Instant.now());
        requireOwned(id, caller);
        return this.queries.aggregate(id, buckets);
    }

    @GetMapping("/status-changes")
    @Operation(summary = "Status changes of a sensor in [from, to), newest first")
    Page<StatusChangeResponse> statusChanges(ClientCaller caller, @PathVariable String id,
            @Parameter(description = "inclusive, RFC 3339; default: the retention period ago") @RequestParam(
                    required = false) String from,
            @Parameter(description = "exclusive, RFC 3339; default: a day from now") @RequestParam(
                    required = false) String to,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        PageQuery page = PageQuery.of(limit, cursor);
        TimeRange range = range(from, to);
        requireOwned(id, caller);
        return this.queries.statusChanges(id, range, page);
    }

    private TimeRange range(String from, String to) {
        return TimeRange.of(from, to, this.storage.retention(), Instant.now());
    }

    private void requireOwned(String id, ClientCaller caller) {
        boolean owned = this.queries.isOwnedBy(SensorIds.requireWellFormed(id), caller.clientId());
        if (!owned) {
            throw new NotFoundException("sensor", id);
        }
    }

}
