package io.sensorhub.crud.limits;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.sensorhub.crud.web.TooManyRequestsException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How often a webhook may be asked to deliver (a test event, a redelivery, a recovery):
 * at most {@code delivery-requests-per-webhook-per-minute} in any minute, a
 * {@link RequestWindow} over the times of the accepted requests, which PostgreSQL keeps
 * in {@code webhook_delivery_requests}, one row per webhook.
 * <p>
 * In PostgreSQL rather than Redis because the request itself writes to PostgreSQL: the
 * time is recorded in the transaction that queues the delivery, under the lock of the
 * webhook's row in {@code webhook_delivery_requests}, so instances take turns, a request
 * that fails (409, or its transaction rolls back) uses no place, and no new dependency
 * can fail a request: with PostgreSQL down the request is a 503 anyway, and Redis, a
 * cache, may be lost without failing any. The clock is the database's, one for every
 * instance.
 */
@Component
public class DeliveryRequestLimit {

    private static final Duration PERIOD = Duration.ofMinutes(1);

    /**
     * Locks the webhook's row (creating it the first time) and answers the times stored
     * and the database's clock, read once the lock is held.
     */
    private static final String LOCK = """
            INSERT INTO webhook_delivery_requests AS r (webhook_id) VALUES (?)
            ON CONFLICT (webhook_id) DO UPDATE SET recent = r.recent
            RETURNING r.recent, clock_timestamp() AS now""";

    private final JdbcClient jdbc;

    private final RequestWindow window;

    DeliveryRequestLimit(JdbcClient jdbc, LimitProperties properties) {
        this.jdbc = jdbc;
        this.window = new RequestWindow(properties.deliveryRequestsPerWebhookPerMinute(), PERIOD);
    }

    /**
     * Takes a place for one request to deliver to the webhook, or refuses with a 429.
     * Call it in the transaction that queues the delivery, before any delivery row is
     * locked (every request takes this lock first, so two cannot wait for each other).
     */
    public void take(UUID webhookId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A place is taken inside the transaction that queues the delivery");
        }
        Locked locked = this.jdbc.sql(LOCK).param(webhookId).query(DeliveryRequestLimit::locked).single();
        Duration wait = this.window.waitAt(locked.recent(), locked.now());
        if (!wait.isZero()) {
            throw new TooManyRequestsException("At most " + this.window.limit()
                    + " test events, redeliveries and recoveries per webhook in any minute; retry later", wait);
        }
        List<Instant> kept = this.window.admit(locked.recent(), locked.now());
        this.jdbc.sql("UPDATE webhook_delivery_requests SET recent = ? WHERE webhook_id = ?")
            .params(new SqlArrayValue("timestamptz", kept.stream().map(Instant::toString).toArray()), webhookId)
            .update();
    }

    private static Locked locked(ResultSet rs, int row) throws SQLException {
        Array recent = rs.getArray("recent");
        List<Instant> times = Arrays.stream((Timestamp[]) recent.getArray()).map(Timestamp::toInstant).toList();
        return new Locked(times, rs.getTimestamp("now").toInstant());
    }

    private record Locked(List<Instant> recent, Instant now) {
    }

}
