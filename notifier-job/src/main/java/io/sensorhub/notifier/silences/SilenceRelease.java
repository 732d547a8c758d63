package io.sensorhub.notifier.silences;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.sensorhub.notifier.fanout.FanOut;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Releases sensors held back by silences ({@code silenced_sensors}, migration V75): a
 * held sensor that no active silence matches any more, and that has no newer change
 * waiting for the fan-out, gets one {@code sensor.status_changed} delivery of its newest
 * change, with {@code "silencedChanges": n} in its data, to each enabled webhook that
 * would receive that change and was last sent another status for the sensor.
 * <p>
 * <b>Once.</b> The hold's row is deleted in the transaction that queues the catch-up,
 * under the sensor's advisory lock ({@link FanOut#sensorLock}), re-checked by a statement
 * that starts after the lock was granted: whichever instance deletes it sends the
 * catch-up; another finds nothing left. The catch-up is the change's own event (its
 * {@code event_id} is the {@code webhook-id}), so {@code UNIQUE (webhook_id, event_id)}
 * would refuse a second one anyway.
 * <p>
 * <b>Order.</b> The lock is the fan-out's, taken the way recording a delivery's end takes
 * it ({@link FanOut#LOCK_SENSORS_IN_ORDER}, before any row lock), so the catch-up is
 * created {@code waiting} behind an earlier pending delivery of its webhook and sensor by
 * the same rule as any delivery, and the fan-out of a newer change sees it.
 * <p>
 * <b>What was last sent</b> to a webhook: the status of the sensor's newest change before
 * the held ones that has a delivery to that webhook (a catch-up included), found by
 * walking the sensor's history back (a webhook's deliveries carry its changes' event
 * ids); none found (a new webhook, or history past retention), the catch-up is sent.
 * <b>How many were held back</b> for a webhook: the held changes whose status its
 * {@code statuses} filter takes.
 */
public class SilenceRelease {

    /**
     * Held sensors that no silence matches now and that have no change waiting for the
     * fan-out, in the order their locks are taken.
     */
    private static final String DUE = """
            SELECT h.sensor_id FROM silenced_sensors h JOIN sensors s ON s.id = h.sensor_id
            WHERE NOT EXISTS (SELECT 1 FROM sensorhub_silences_matching(s.client_id, h.sensor_id, h.status, ?))
              AND NOT EXISTS (SELECT 1 FROM status_change_outbox o WHERE o.sensor_id = h.sensor_id)
            ORDER BY hashtext(h.sensor_id), h.sensor_id
            LIMIT ?""";

    private static final String RELEASE = """
            WITH released AS (
                DELETE FROM silenced_sensors h USING sensors s
                WHERE h.sensor_id = ANY (?::text[]) AND s.id = h.sensor_id
                  AND NOT EXISTS (SELECT 1 FROM sensorhub_silences_matching(s.client_id, h.sensor_id, h.status, ?))
                  AND NOT EXISTS (SELECT 1 FROM status_change_outbox o WHERE o.sensor_id = h.sensor_id)
                RETURNING h.sensor_id, h.first_sequence, h.sequence, h.changed_at, h.held, s.client_id),
            inserted AS (
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, waiting, payload,
                                                correlation_id)
                SELECT gen_random_uuid(), w.id, sc.event_id, 'sensor.status_changed', sc.sensor_id, sc.sequence,
                       EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = w.id
                               AND e.sensor_id = sc.sensor_id AND e.state = 'pending' AND e.sequence < sc.sequence),
                       sensorhub_webhook_body('sensor.status_changed', sc.changed_at,
                           sensorhub_status_change_data(sc) || jsonb_build_object('silencedChanges', held.changes)),
                       %s
                FROM released r
                -- the change by its key, changed_at included, as the fan-out reads it (one partition's index probed)
                CROSS JOIN LATERAL (SELECT * FROM status_changes sc
                                    WHERE sc.sensor_id = r.sensor_id AND sc.sequence = r.sequence
                                      AND sc.changed_at = r.changed_at OFFSET 0) sc
                JOIN webhooks w ON w.client_id = r.client_id AND w.enabled
                CROSS JOIN LATERAL (SELECT sum(c.value::int) AS changes FROM jsonb_each_text(r.held) c
                                    WHERE w.statuses IS NULL OR c.key = ANY (w.statuses)) held
                LEFT JOIN LATERAL (
                    SELECT p.status FROM status_changes p
                    WHERE p.sensor_id = r.sensor_id AND p.sequence < r.first_sequence
                      AND (w.statuses IS NULL OR p.status = ANY (w.statuses))
                      AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.event_id = p.event_id)
                    ORDER BY p.sequence DESC LIMIT 1) sent ON true
                WHERE 'sensor.status_changed' = ANY (w.event_types)
                  AND (w.sensor_ids IS NULL OR r.sensor_id = ANY (w.sensor_ids))
                  AND (w.statuses IS NULL OR sc.status = ANY (w.statuses))
                  AND sent.status IS DISTINCT FROM sc.status
                ORDER BY sc.sensor_id
                ON CONFLICT (webhook_id, event_id) DO NOTHING
                RETURNING 1)
            SELECT (SELECT count(*) FROM released) AS released, (SELECT count(*) FROM inserted) AS deliveries"""
        .formatted(FanOut.CORRELATION);

    /**
     * The first end of a silence after now, among the silences of the clients whose
     * sensors are held (nothing to wake up for otherwise).
     */
    private static final String NEXT_END = """
            SELECT min(sensorhub_silence_next_end(si, ?)) FROM silences si
            WHERE si.client_id IN (SELECT s.client_id FROM silenced_sensors h JOIN sensors s ON s.id = h.sensor_id)
              AND coalesce(si.ends_at, 'infinity'::timestamptz) > ?""";

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    /**
     * @param transactions READ COMMITTED (PostgreSQL's default), so that the release,
     * started after the locks were granted, sees what their previous holders committed
     */
    public SilenceRelease(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Releases up to {@code limit} held sensors that are due at {@code now}, in one
     * transaction.
     */
    public Result release(Instant now, int limit) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return this.transactions.execute(status -> {
            List<String> due = this.jdbc.sql(DUE).params(at, limit).query(String.class).list();
            if (due.isEmpty()) {
                return new Result(0, 0, 0);
            }
            SqlArrayValue sensors = new SqlArrayValue("text", due.toArray());
            this.jdbc.sql(FanOut.LOCK_SENSORS_IN_ORDER).param(sensors).query().listOfRows();
            return this.jdbc.sql(RELEASE)
                .params(sensors, at)
                .query((rows, n) -> new Result(due.size(), rows.getInt("released"), rows.getInt("deliveries")))
                .single();
        });
    }

    /**
     * When the next silence of a client with held sensors ends after {@code now}, if one
     * does.
     */
    public Optional<Instant> nextEnd(Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return this.jdbc.sql(NEXT_END)
            .params(at, at)
            .query((rows, n) -> rows.getObject(1, OffsetDateTime.class))
            .list()
            .stream()
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .map(OffsetDateTime::toInstant);
    }

    /**
     * What one release did.
     *
     * @param due held sensors found due
     * @param released of those, the ones released (another instance may have been first)
     * @param deliveries catch-up deliveries queued
     */
    public record Result(int due, int released, int deliveries) {
    }

}
