package io.sensorhub.crud.auth;

import java.security.MessageDigest;
import java.util.UUID;

/**
 * A client application, holding its own token: manages its own sensors and webhooks only.
 *
 * @param clientId the client's id
 * @param tokenHash the hash of the token it authenticated with (never the token), so that
 * what outlives the request, a live stream, can end when that token stops working
 */
public record ClientCaller(UUID clientId, byte[] tokenHash) implements Caller {

    /** Whether this caller's token is the one whose hash is given, in constant time. */
    public boolean holdsTokenHashed(byte[] current) {
        return current != null && MessageDigest.isEqual(this.tokenHash, current);
    }

}
