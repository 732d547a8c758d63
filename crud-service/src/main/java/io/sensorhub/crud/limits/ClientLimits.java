package io.sensorhub.crud.limits;

import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;

import io.sensorhub.crud.web.TooManyRequestsException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How many webhooks and silences a client may have. A creation checks in the transaction
 * that inserts, after locking the client's row: creations of one client, on any number of
 * crud-service instances, take turns, and each counts the ones committed before it, so
 * racing requests cannot together pass the limit. (The lock is {@code FOR NO KEY UPDATE}:
 * it does not hold up the inserts of the client's sensors, whose foreign key only shares
 * the row.) A client over the limit gets a 429; waiting does not free a place, deleting
 * does, so its {@code Retry-After} is only {@link #RETRY_AFTER}.
 */
@Component
public class ClientLimits {

    /** The {@code Retry-After} of a count limit. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    private final JdbcClient jdbc;

    private final LimitProperties properties;

    ClientLimits(JdbcClient jdbc, LimitProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Refuses a new webhook when the client has {@code webhooks-per-client} already.
     * @param webhooks counts the client's webhooks; called after the lock is taken
     */
    public void requireRoomForWebhook(UUID clientId, LongSupplier webhooks) {
        requireRoom(clientId, "webhooks", this.properties.webhooksPerClient(), webhooks);
    }

    /**
     * Refuses a new silence when the client has {@code silences-per-client} that have not
     * ended. For the silences endpoint: call it in the transaction that inserts the
     * silence, before the insert.
     * @param silences counts the client's silences that have not ended; called after the
     * lock is taken
     */
    public void requireRoomForSilence(UUID clientId, LongSupplier silences) {
        requireRoom(clientId, "silences", this.properties.silencesPerClient(), silences);
    }

    private void requireRoom(UUID clientId, String what, int limit, LongSupplier count) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A count limit holds only inside the transaction that inserts");
        }
        this.jdbc.sql("SELECT 1 FROM clients WHERE id = ? FOR NO KEY UPDATE").param(clientId).query().listOfRows();
        long current = count.getAsLong();
        if (current >= limit) {
            throw new TooManyRequestsException(
                    "You have " + current + " " + what + ", the most allowed (" + limit + "); delete one first",
                    RETRY_AFTER);
        }
    }

}
