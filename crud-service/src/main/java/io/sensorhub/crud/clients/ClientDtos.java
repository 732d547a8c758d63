package io.sensorhub.crud.clients;

import java.time.Instant;
import java.util.UUID;

import io.sensorhub.crud.web.SingleLine;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request and response bodies of the clients API. */
final class ClientDtos {

    private ClientDtos() {
    }

    /** Body of {@code POST /clients} and {@code PATCH /clients/{id}}. */
    record ClientRequest(@NotBlank @Size(max = 200) @SingleLine String name) {
    }

    /** A client as listed and read; never with its token. */
    record ClientResponse(UUID id, String name, Instant createdAt, Instant updatedAt) {

        static ClientResponse of(Client client) {
            return new ClientResponse(client.getId(), client.name(), client.createdAt(), client.updatedAt());
        }
    }

    /** A client with its token: answered only when the token is created or rotated. */
    record ClientWithToken(UUID id, String name, String token, Instant createdAt) {
    }

}
