package io.sensorhub.crud.webhooks;

import java.util.Set;
import java.util.UUID;

import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.webhooks.DeliveryDtos.DeliveryResponse;
import io.sensorhub.crud.webhooks.DeliveryDtos.Queued;
import io.sensorhub.crud.webhooks.DeliveryDtos.RecoverRequest;
import io.sensorhub.crud.webhooks.DeliveryDtos.Recovered;
import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
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
 * Deliveries of a client's webhooks: listing with attempts, test events, redelivery and
 * recovery.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Deliveries", description = "Webhook deliveries and their attempts (client token)")
class DeliveryController {

    private static final Set<String> STATES = Set.of("pending", "succeeded", "dead");

    private final DeliveryService service;

    DeliveryController(DeliveryService service) {
        this.service = service;
    }

    @GetMapping("/webhooks/{id}/deliveries")
    @Operation(summary = "List a webhook's deliveries with their event and attempts, optionally by state")
    Page<DeliveryResponse> list(ClientCaller caller, @PathVariable UUID id,
            @RequestParam(required = false) String state, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        if (state != null && !STATES.contains(state)) {
            throw new InvalidInputException("state", "must be one of pending, succeeded, dead");
        }
        return this.service.list(caller.clientId(), id, state, PageQuery.of(limit, cursor));
    }

    @PostMapping("/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a webhook.test event to the webhook")
    Queued test(ClientCaller caller, @PathVariable UUID id) {
        return this.service.test(caller.clientId(), id);
    }

    @PostMapping("/deliveries/{id}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Make a succeeded or dead delivery pending again")
    Queued redeliver(ClientCaller caller, @PathVariable UUID id) {
        return this.service.redeliver(caller.clientId(), id);
    }

    @PostMapping(path = "/webhooks/{id}/recover", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Make every delivery of the webhook that died since the given time pending again")
    Recovered recover(ClientCaller caller, @PathVariable UUID id, @Valid @RequestBody RecoverRequest request) {
        return new Recovered(this.service.recover(caller.clientId(), id, request.since()));
    }

}
