package io.sensorhub.crud.silences;

import java.net.URI;
import java.util.UUID;

import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.silences.SilenceDtos.SilenceCreation;
import io.sensorhub.crud.silences.SilenceDtos.SilenceResponse;
import io.sensorhub.crud.web.Limited;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A client's silences; every endpoint needs a client token. */
@RestController
@RequestMapping(path = "/api/v1/silences", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Silences",
        description = "Periods, one-off or recurring, in which status changes are recorded but not sent; "
                + "when one ends, each held-back sensor gets one catch-up event (client token)")
class SilenceController {

    private final SilenceService service;

    SilenceController(SilenceService service) {
        this.service = service;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a one-off (startsAt, endsAt) or recurring (schedule) silence")
    @Limited("The client has sensorhub.limits.silences-per-client (default 100) silences that have not ended")
    ResponseEntity<SilenceResponse> create(ClientCaller caller, @Valid @RequestBody SilenceCreation request) {
        SilenceResponse silence = this.service.create(caller.clientId(), request);
        return ResponseEntity.created(URI.create("/api/v1/silences/" + silence.id())).body(silence);
    }

    @GetMapping
    @Operation(summary = "List the client's silences (active, coming and ended) in id order")
    Page<SilenceResponse> list(ClientCaller caller, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return this.service.list(caller.clientId(), PageQuery.of(limit, cursor));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a silence")
    SilenceResponse get(ClientCaller caller, @PathVariable UUID id) {
        return this.service.get(caller.clientId(), id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a silence, ending it now: held-back sensors get their catch-up event")
    void delete(ClientCaller caller, @PathVariable UUID id) {
        this.service.delete(caller.clientId(), id);
    }

}
