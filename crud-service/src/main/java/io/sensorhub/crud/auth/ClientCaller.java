package io.sensorhub.crud.auth;

import java.util.UUID;

/**
 * A client application, holding its own token: manages its own sensors and webhooks only.
 *
 * @param clientId the client's id
 */
public record ClientCaller(UUID clientId) implements Caller {
}
