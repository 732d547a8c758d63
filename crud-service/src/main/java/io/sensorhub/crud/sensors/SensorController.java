package io.sensorhub.crud.sensors;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.sensorhub.common.status.Status;

import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.sensors.SensorDtos.AcknowledgementRequest;
import io.sensorhub.crud.sensors.SensorDtos.SensorCreation;
import io.sensorhub.crud.sensors.SensorDtos.SensorReplacement;
import io.sensorhub.crud.sensors.SensorDtos.SensorResponse;
import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.MergePatch;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.sensorhub.crud.web.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A client's sensors; every endpoint needs a client token. Writes answer the new
 * {@code ETag}.
 */
@RestController
@RequestMapping(path = "/api/v1/sensors", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Sensors", description = "A client's sensors with thresholds and current state (client token)")
class SensorController {

    private static final Set<String> STATUSES = Arrays.stream(Status.values())
        .map(Status::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));

    private final SensorService service;

    private final MergePatch mergePatch;

    SensorController(SensorService service, MergePatch mergePatch) {
        this.service = service;
        this.mergePatch = mergePatch;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a sensor; its id must be unused across the system")
    ResponseEntity<SensorResponse> create(ClientCaller caller, @Valid @RequestBody SensorCreation request) {
        SensorResponse sensor = this.service.create(caller.clientId(), request.id(), request.settings());
        return ResponseEntity.created(URI.create("/api/v1/sensors/" + sensor.id()))
            .eTag(ETags.of(sensor.version()))
            .body(sensor);
    }

    @GetMapping
    @Operation(summary = "List the client's sensors in id order, optionally by status and type")
    Page<SensorResponse> list(ClientCaller caller, @RequestParam(required = false) String status,
            @RequestParam(required = false) String type, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidInputException("status", "must be one of " + String.join(", ", STATUSES));
        }
        return this.service.list(caller.clientId(), PlainText.requireSingleLine("type", type), status,
                PageQuery.of(limit, cursor));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a sensor with its current state")
    ResponseEntity<SensorResponse> get(ClientCaller caller, @PathVariable String id) {
        return withETag(this.service.get(id, caller.clientId()));
    }

    @PostMapping("/{id}/acknowledge")
    @Operation(summary = "Acknowledge the sensor's current status: shown in its state until the next status change; "
            + "stops reminders of it")
    ResponseEntity<SensorResponse> acknowledge(ClientCaller caller, @PathVariable String id,
            @Valid @RequestBody(required = false) AcknowledgementRequest request) {
        String comment = (request != null) ? request.comment() : null;
        return withETag(this.service.acknowledge(caller.clientId(), id, comment));
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace a sensor's settings (optionally only if it still has the given ETag)")
    ResponseEntity<SensorResponse> replace(ClientCaller caller, @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody SensorReplacement request) {
        if (request.id() != null && !request.id().equals(id)) {
            throw new InvalidInputException("id", "must be the id in the path");
        }
        return withETag(this.service.replace(caller.clientId(), id, request.settings(), ifMatch));
    }

    @PatchMapping(path = "/{id}", consumes = { MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json" })
    @Operation(summary = "Change some of a sensor's settings (JSON merge patch, RFC 7396)")
    ResponseEntity<SensorResponse> patch(ClientCaller caller, @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = SensorReplacement.class))) @RequestBody JsonNode patch) {
        return withETag(this.service.patch(caller.clientId(), id,
                current -> this.mergePatch.apply(patch, current, SensorReplacement.class), ifMatch));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a sensor with its state and history")
    ResponseEntity<Void> delete(ClientCaller caller, @PathVariable String id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        this.service.delete(caller.clientId(), id, ifMatch);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<SensorResponse> withETag(SensorResponse sensor) {
        return ResponseEntity.ok().eTag(ETags.of(sensor.version())).body(sensor);
    }

}
