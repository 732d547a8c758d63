package io.sensorhub.notifier.fanout;

import java.util.List;
import java.util.UUID;

import io.sensorhub.notifier.stream.ClientEventLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns events about webhooks ({@code webhook.failing}, {@code webhook.disabled},
 * {@code webhook.recovered}) into deliveries through their outbox,
 * {@code webhook_event_outbox}, as {@link FanOut} does status changes: in one
 * transaction, takes the webhooks of the oldest rows, then each one's rows in id order,
 * inserts one delivery per other enabled webhook of the client that lists the event's
 * type (never to the webhook the event is about), and deletes the rows taken. The body
 * was built when the event was recorded, with the schema's
 * {@code sensorhub_webhook_body}.
 * <p>
 * Order per receiving webhook and webhook the event is about: such a delivery's order key
 * (its {@code sensor_id}) is {@code sensorhub_webhook_event_key} of the webhook it is
 * about, and its sequence the outbox id, which follows the order the events happened in
 * (they are recorded under the webhook's row lock). The fan-out holds that key's advisory
 * lock ({@link FanOut#sensorLock}), like a sensor's, so the delivery bookkeeping's order
 * rule holds for these deliveries unchanged.
 * <p>
 * Each event is appended to the live stream's log ({@link ClientEventLog}) of its client
 * in the same transaction, whether or not a webhook wants it ({@code webhook.test} never
 * passes through here, and is not streamed).
 */
public class WebhookEventFanOut {

    private static final String KEY = "sensorhub_webhook_event_key(o.webhook_id)";

    private static final String LOCK_WEBHOOKS = """
            WITH oldest AS (SELECT webhook_id FROM webhook_event_outbox ORDER BY id LIMIT ?)
            SELECT o.webhook_id, pg_try_advisory_xact_lock(%s) AS locked, (SELECT count(*) FROM oldest) AS seen
            FROM (SELECT DISTINCT webhook_id FROM oldest) o""".formatted(FanOut.sensorLock(KEY));

    private static final String FAN_OUT = """
            WITH claimed AS (
                SELECT o.id, o.event_id, o.client_id, o.webhook_id, o.event_type, o.payload
                FROM unnest(?::uuid[]) AS locked(webhook_id)
                CROSS JOIN LATERAL (SELECT * FROM webhook_event_outbox o WHERE o.webhook_id = locked.webhook_id
                                    ORDER BY o.id LIMIT ? FOR UPDATE) o),
            removed AS (
                DELETE FROM webhook_event_outbox o USING claimed c WHERE o.id = c.id RETURNING o.id),
            inserted AS (
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, waiting, payload)
                SELECT gen_random_uuid(), x.id, c.event_id, c.event_type, sensorhub_webhook_event_key(c.webhook_id), c.id,
                       row_number() OVER (PARTITION BY x.id, c.webhook_id ORDER BY c.id) > 1
                           OR EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = x.id
                                      AND e.sensor_id = sensorhub_webhook_event_key(c.webhook_id)
                                      AND e.state = 'pending' AND e.sequence < c.id),
                       c.payload
                FROM claimed c
                JOIN webhooks x ON x.client_id = c.client_id AND x.enabled AND x.id <> c.webhook_id
                               AND c.event_type = ANY (x.event_types)
                ORDER BY c.webhook_id, c.id
                ON CONFLICT (webhook_id, event_id) DO NOTHING
                RETURNING waiting)
            SELECT (SELECT count(*) FROM removed) AS events, (SELECT count(*) FROM inserted) AS deliveries,
                   (SELECT count(*) FROM inserted WHERE NOT waiting) AS ready,
                   (SELECT jsonb_agg(%s ORDER BY c.id) FROM claimed c)::text AS stream"""
        .formatted(ClientEventLog.event("c.client_id", "c.event_id", "c.event_type", "c.payload"));

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    /**
     * @param transactions READ COMMITTED, so that the fan-out statement sees what the
     * previous holder of a lock committed
     */
    public WebhookEventFanOut(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Fans out up to {@code limit} events (or one per webhook, if more webhooks have
     * some) in one transaction; events about a webhook another instance holds wait.
     */
    public FanOut.Result fanOut(int limit) {
        return this.transactions.execute(status -> {
            FanOut.Locked<UUID> due = FanOut.Locked.lock(this.jdbc, LOCK_WEBHOOKS, limit, UUID.class);
            List<UUID> webhooks = due.keys();
            if (webhooks.isEmpty()) {
                return new FanOut.Result(0, 0, 0, 0, 0, due.busy(), false);
            }
            int perWebhook = Math.max(1, limit / webhooks.size());
            String[] stream = new String[1];
            FanOut.Result result = this.jdbc.sql(FAN_OUT)
                .params(new SqlArrayValue("uuid", webhooks.toArray()), perWebhook)
                .query((rows, n) -> {
                    stream[0] = rows.getString(4);
                    return new FanOut.Result(rows.getInt(1), rows.getInt(2), rows.getInt(3), 0, 0, due.busy(),
                            due.full(limit, rows.getInt(1), perWebhook));
                })
                .single();
            // last: the stream's lock is held from here to the commit only
            ClientEventLog.append(this.jdbc, stream[0]);
            return result;
        });
    }

}
