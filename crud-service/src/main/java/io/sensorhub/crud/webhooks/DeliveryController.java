package io.sensorhub.crud.webhooks;

import java.util.UUID;

import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.webhooks.DeliveryDtos.DeliveryResponse;
import io.sensorhub.crud.webhooks.DeliveryDtos.Queued;
import io.sensorhub.crud.webhooks.DeliveryDtos.RecoverRequest;
import io.sensorhub.crud.webhooks.DeliveryDtos.Recovered;
import io.sensorhub.crud.webhooks.DeliveryDtos.StatsResponse;
import io.sensorhub.crud.web.Limited;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Deliveries of a client's webhooks: listing with attempts, stats, test events,
 * redelivery and recovery.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Deliveries", description = "Webhook deliveries and their attempts (client token)")
class DeliveryController {

    private static final String REQUEST_LIMIT = "More than sensorhub.limits.delivery-requests-per-webhook-per-minute "
            + "(default 10) test events, redeliveries and recoveries of this webhook in the last minute";

    private final DeliveryService service;

    DeliveryController(DeliveryService service) {
        this.service = service;
    }

    @GetMapping("/webhooks/{id}/deliveries")
    @Operation(summary = "List a webhook's deliveries with their event and attempts, newest first, optionally "
            + "filtered by state, sensor and creation time")
    Page<DeliveryResponse> list(ClientCaller caller, @PathVariable UUID id,
            @Parameter(description = "only deliveries in this state",
                    schema = @Schema(allowableValues = { "pending", "succeeded", "dead" })) @RequestParam(
                            required = false) String state,
            @Parameter(description = "only deliveries of this sensor's status changes") @RequestParam(
                    required = false) String sensorId,
            @Parameter(description = "only deliveries created at or after this time (RFC 3339)") @RequestParam(
                    required = false) String from,
            @Parameter(description = "only deliveries created before this time (RFC 3339)") @RequestParam(
                    required = false) String to,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        DeliveryFilter filter = DeliveryFilter.of(state, sensorId, from, to);
        return this.service.list(caller.clientId(), id, filter, PageQuery.of(limit, cursor));
    }

    @GetMapping("/webhooks/{id}/stats")
    @Operation(summary = "A webhook's health: deliveries pending and dead, attempts and latency in the last hour, "
            + "last success and last failure")
    StatsResponse stats(ClientCaller caller, @PathVariable UUID id) {
        return this.service.stats(caller.clientId(), id);
    }

    @PostMapping("/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a webhook.test event to the webhook")
    @Limited(REQUEST_LIMIT)
    Queued test(ClientCaller caller, @PathVariable UUID id) {
        return this.service.test(caller.clientId(), id);
    }

    @PostMapping("/deliveries/{id}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Make a succeeded or dead delivery pending again")
    @Limited(REQUEST_LIMIT)
    Queued redeliver(ClientCaller caller, @PathVariable UUID id) {
        return this.service.redeliver(caller.clientId(), id);
    }

    @PostMapping(path = "/webhooks/{id}/recover", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Make every delivery of the webhook that died since the given time pending again")
    @Limited(REQUEST_LIMIT)
    Recovered recover(ClientCaller caller, @PathVariable UUID id, @Valid @RequestBody RecoverRequest request) {
        return new Recovered(this.service.recover(caller.clientId(), id, request.since()));
    }

}
