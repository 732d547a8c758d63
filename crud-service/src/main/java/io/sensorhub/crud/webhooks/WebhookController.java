package io.sensorhub.crud.webhooks;

import java.net.URI;
import java.util.UUID;

import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.webhooks.WebhookDtos.WebhookCreation;
import io.sensorhub.crud.webhooks.WebhookDtos.WebhookResponse;
import io.sensorhub.crud.webhooks.WebhookDtos.WebhookWithSecret;
import io.sensorhub.crud.web.Limited;
import io.sensorhub.crud.web.MergePatch;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A client's webhooks; every endpoint needs a client token. The secret is shown at
 * creation and rotation only.
 */
@RestController
@RequestMapping(path = "/api/v1/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Webhooks", description = "Where status changes are POSTed, signed (client token)")
class WebhookController {

    private final WebhookService service;

    private final MergePatch mergePatch;

    WebhookController(WebhookService service, MergePatch mergePatch) {
        this.service = service;
        this.mergePatch = mergePatch;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a webhook; its signing secret is shown only in this response")
    @Limited("The client has sensorhub.limits.webhooks-per-client (default 20) webhooks already")
    ResponseEntity<WebhookWithSecret> create(ClientCaller caller, @Valid @RequestBody WebhookCreation request) {
        Webhook webhook = this.service.create(caller.clientId(), request.settings());
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + webhook.id()))
            .body(WebhookWithSecret.of(webhook));
    }

    @GetMapping
    @Operation(summary = "List the client's webhooks in id order")
    Page<WebhookResponse> list(ClientCaller caller, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return this.service.list(caller.clientId(), PageQuery.of(limit, cursor)).map(WebhookResponse::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a webhook")
    WebhookResponse get(ClientCaller caller, @PathVariable UUID id) {
        return WebhookResponse.of(this.service.get(caller.clientId(), id));
    }

    @PatchMapping(path = "/{id}", consumes = { MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json" })
    @Operation(summary = "Change a webhook (JSON merge patch); enabling it clears disabledReason")
    WebhookResponse patch(ClientCaller caller, @PathVariable UUID id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = WebhookCreation.class))) @RequestBody JsonNode patch) {
        return WebhookResponse.of(this.service.patch(caller.clientId(), id,
                current -> this.mergePatch.apply(patch, current, WebhookCreation.class)));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a webhook with its deliveries")
    void delete(ClientCaller caller, @PathVariable UUID id) {
        this.service.delete(caller.clientId(), id);
    }

    @PostMapping("/{id}/secret")
    @Operation(summary = "Rotate the signing secret; the previous one still signs for 24 hours")
    WebhookWithSecret rotateSecret(ClientCaller caller, @PathVariable UUID id) {
        return WebhookWithSecret.of(this.service.rotateSecret(caller.clientId(), id));
    }

}
