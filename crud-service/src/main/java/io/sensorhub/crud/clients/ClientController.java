package io.sensorhub.crud.clients;

import java.net.URI;
import java.util.UUID;

import io.sensorhub.crud.auth.AdminCaller;
import io.sensorhub.crud.clients.ClientDtos.ClientRequest;
import io.sensorhub.crud.clients.ClientDtos.ClientResponse;
import io.sensorhub.crud.clients.ClientDtos.ClientWithToken;
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
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Client management; every endpoint needs the admin token. */
@RestController
@RequestMapping(path = "/api/v1/clients", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Clients", description = "Client applications and their tokens (admin token)")
class ClientController {

    private final ClientService service;

    ClientController(ClientService service) {
        this.service = service;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a client; its token is shown only in this response")
    ResponseEntity<ClientWithToken> create(AdminCaller admin, @Valid @RequestBody ClientRequest request) {
        ClientWithToken created = this.service.create(request.name());
        return ResponseEntity.created(URI.create("/api/v1/clients/" + created.id())).body(created);
    }

    @GetMapping
    @Operation(summary = "List clients in id order")
    Page<ClientResponse> list(AdminCaller admin, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return this.service.list(PageQuery.of(limit, cursor)).map(ClientResponse::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a client")
    ClientResponse get(AdminCaller admin, @PathVariable UUID id) {
        return ClientResponse.of(this.service.get(id));
    }

    @PatchMapping(path = "/{id}", consumes = { MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json" })
    @Operation(summary = "Rename a client")
    ClientResponse rename(AdminCaller admin, @PathVariable UUID id, @Valid @RequestBody ClientRequest request) {
        return ClientResponse.of(this.service.rename(id, request.name()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a client with its sensors, history and webhooks")
    void delete(AdminCaller admin, @PathVariable UUID id) {
        this.service.delete(id);
    }

    @PostMapping("/{id}/token")
    @Operation(summary = "Rotate a client's token; the old one stops working at once")
    ClientWithToken rotateToken(AdminCaller admin, @PathVariable UUID id) {
        return this.service.rotateToken(id);
    }

}
