package io.sensorhub.notifier.fanout;

import java.util.List;

import io.sensorhub.common.logging.Correlation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns status changes into webhook deliveries through the outbox (docs/architecture.md):
 * in one transaction, takes the sensors of the oldest outbox rows, then each sensor's
 * lowest sequences (an equal share of the batch each), inserts one delivery per enabled
 * webhook of the sensor's owner whose {@code sensor_ids} and {@code statuses} filters
 * match, and deletes the rows taken. {@code UNIQUE (webhook_id, event_id)} makes a repeat
 * harmless.
 * <p>
 * Order per sensor: one fan-out at a time per sensor, across instances, holding a
 * transaction-scoped advisory lock on the sensor ({@code pg_try_advisory_xact_lock}: a
 * sensor another instance is fanning out is skipped this round, never waited for). Under
 * the lock, the sensor's rows are taken from the lowest sequence up, and by a statement
 * that starts after the lock was granted, so it sees every delivery the previous holder
 * committed: sequence n+1 is never fanned out before n, nor without seeing n's pending
 * delivery, however large the backlog. (A sensor's changes are committed in sequence
 * order, under its state row's lock, so no lower sequence can appear later.) Recording
 * the end of a sensor's delivery takes the same lock ({@link #sensorLock}).
 * <p>
 * Only webhooks that list {@code sensor.status_changed} among their event types get
 * status changes. The same transaction keeps the sensors' reminder schedule
 * ({@link #SCHEDULE_REMINDERS}), which notifier-job's reminder loop works through.
 * <p>
 * The delivery carries the body that is POSTed, built here once with the schema's
 * {@code sensorhub_webhook_body} and {@code sensorhub_status_change_data} (the one
 * envelope, data and time format of every status change). A delivery behind an earlier
 * pending one of the same webhook and sensor is created {@code waiting}, by the order
 * rule of {@link io.sensorhub.notifier.delivery.DeliveryRecords}. Its {@code host} is set
 * by the database.
 */
public class FanOut {

    /**
     * Locks the sensors of the oldest outbox rows that no other fan-out holds, and
     * answers them. The oldest rows are a subquery with a LIMIT, so the lock function
     * runs for those rows' sensors only.
     */
    private static final String LOCK_SENSORS = """
            SELECT o.sensor_id FROM (SELECT DISTINCT sensor_id FROM (
                    SELECT sensor_id FROM status_change_outbox ORDER BY created_at LIMIT ?) oldest) o
            WHERE pg_try_advisory_xact_lock(%s)""".formatted(sensorLock("o.sensor_id"));

    static final String FAN_OUT = """
            WITH claimed AS (
                SELECT o.event_id, o.sensor_id, o.sequence, o.changed_at
                FROM unnest(?::text[]) AS locked(sensor_id)
                CROSS JOIN LATERAL (SELECT * FROM status_change_outbox o WHERE o.sensor_id = locked.sensor_id
                                    ORDER BY o.sequence LIMIT ? FOR UPDATE) o),
            removed AS (
                DELETE FROM status_change_outbox o USING claimed c WHERE o.event_id = c.event_id RETURNING o.event_id),
            inserted AS (
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, waiting, payload,
                                                correlation_id)
                SELECT gen_random_uuid(), w.id, sc.event_id, 'sensor.status_changed', sc.sensor_id, sc.sequence,
                       row_number() OVER (PARTITION BY w.id, sc.sensor_id ORDER BY sc.sequence) > 1
                           OR EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = w.id
                                      AND e.sensor_id = sc.sensor_id AND e.state = 'pending' AND e.sequence < sc.sequence),
                       sensorhub_webhook_body('sensor.status_changed', sc.changed_at, sensorhub_status_change_data(sc)),
                       -- the identity of the reading that caused the change (Correlation.ofReading); OFFLINE: its time
                       sc.sensor_id || '@' || to_char(coalesce(sc.reported_at, sc.changed_at) AT TIME ZONE 'UTC', %s)
                FROM claimed c
                -- each change by its key, changed_at included, so one partition's index is probed once;
                -- a join the planner may drive by sensor alone reads the sensor's whole history instead
                CROSS JOIN LATERAL (SELECT * FROM status_changes sc
                                    WHERE sc.sensor_id = c.sensor_id AND sc.sequence = c.sequence
                                      AND sc.changed_at = c.changed_at OFFSET 0) sc
                JOIN sensors s ON s.id = c.sensor_id
                JOIN webhooks w ON w.client_id = s.client_id AND w.enabled
                WHERE 'sensor.status_changed' = ANY (w.event_types)
                  AND (w.sensor_ids IS NULL OR c.sensor_id = ANY (w.sensor_ids))
                  AND (w.statuses IS NULL OR sc.status = ANY (w.statuses))
                ORDER BY sc.sensor_id, sc.sequence
                ON CONFLICT (webhook_id, event_id) DO NOTHING
                RETURNING waiting)
            SELECT (SELECT count(*) FROM removed) AS events, (SELECT count(*) FROM inserted) AS deliveries,
                   (SELECT count(*) FROM inserted WHERE NOT waiting) AS ready"""
        .formatted("'" + Correlation.SQL_TIMESTAMP_FORMAT + "'");

    /**
     * Keeps the reminder schedule ({@code webhook_reminders}) of the sensors just fanned
     * out whose outbox is now empty, so whose current status is the change just fanned
     * out (a sensor with changes left waits for the round that fans out its last one):
     * one row per webhook that wants reminders of that status (a repeat interval,
     * {@code sensor.status_reminder} among its event types, its filters matching), first
     * due one repeat interval from now. A row for the same change stays as it is; one for
     * an earlier change is replaced; a sensor whose status needs no reminders loses its
     * rows. The webhooks are chosen first (a materialized CTE), so a sensor nobody wants
     * reminders of costs no look-up of its change.
     */
    private static final String SCHEDULE_REMINDERS = """
            WITH current AS (
                SELECT st.sensor_id, st.sequence, st.status, s.client_id
                FROM unnest(?::text[]) AS locked(sensor_id)
                JOIN sensor_state st ON st.sensor_id = locked.sensor_id
                JOIN sensors s ON s.id = st.sensor_id
                WHERE NOT EXISTS (SELECT 1 FROM status_change_outbox o WHERE o.sensor_id = st.sensor_id)),
            ended AS (
                DELETE FROM webhook_reminders r USING current c
                WHERE r.sensor_id = c.sensor_id AND c.status NOT IN ('CRITICAL', 'FAULT', 'OFFLINE')),
            wanted AS MATERIALIZED (
                SELECT c.sensor_id, c.sequence, w.id AS webhook_id, w.repeat_interval
                FROM current c
                JOIN webhooks w ON w.client_id = c.client_id AND w.repeat_interval IS NOT NULL
                               AND 'sensor.status_reminder' = ANY (w.event_types)
                               AND (w.sensor_ids IS NULL OR c.sensor_id = ANY (w.sensor_ids))
                               AND (w.statuses IS NULL OR c.status = ANY (w.statuses))
                WHERE c.status IN ('CRITICAL', 'FAULT', 'OFFLINE'))
            INSERT INTO webhook_reminders (sensor_id, webhook_id, sequence, change_event_id, data, due_at)
            SELECT wa.sensor_id, wa.webhook_id, wa.sequence, sc.event_id, sensorhub_status_change_data(sc),
                   now() + make_interval(secs => wa.repeat_interval)
            FROM wanted wa
            -- the change by its sensor and sequence: one probe of each partition's primary key
            CROSS JOIN LATERAL (SELECT * FROM status_changes sc
                                WHERE sc.sensor_id = wa.sensor_id AND sc.sequence = wa.sequence OFFSET 0) sc
            ON CONFLICT (sensor_id, webhook_id) DO UPDATE
            SET sequence = excluded.sequence, change_event_id = excluded.change_event_id, data = excluded.data,
                reminders = 0, due_at = excluded.due_at
            WHERE webhook_reminders.sequence <> excluded.sequence""";

    private final JdbcClient jdbc;

    /**
     * The key of a sensor's transaction-scoped advisory lock, as the two arguments of
     * {@code pg_advisory_xact_lock} and its kin: held by whoever fans the sensor out, and
     * by whoever records that one of its deliveries finished. The second argument orders
     * the locks of several sensors.
     * @param sensorId an SQL expression of the sensor's id
     */
    public static String sensorLock(String sensorId) {
        return "hashtext('sensorhub_fan_out'), hashtext(" + sensorId + ")";
    }

    private final TransactionTemplate transactions;

    /**
     * @param transactions READ COMMITTED (PostgreSQL's default), so that each statement
     * sees what was committed before it started
     */
    public FanOut(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Fans out up to {@code limit} status changes (or one per sensor, if more sensors are
     * due) in one transaction. Fewer, or none, does not mean the outbox is drained:
     * sensors another instance holds wait.
     */
    public Result fanOut(int limit) {
        return this.transactions.execute(status -> {
            List<String> sensors = this.jdbc.sql(LOCK_SENSORS).param(limit).query(String.class).list();
            if (sensors.isEmpty()) {
                return new Result(0, 0, 0);
            }
            // each sensor's share of the batch, so a sensor with a long backlog does not
            // hold up the others
            int perSensor = Math.max(1, limit / sensors.size());
            Result result = this.jdbc.sql(FAN_OUT)
                .params(new SqlArrayValue("text", sensors.toArray()), perSensor)
                .query((rows, n) -> new Result(rows.getInt(1), rows.getInt(2), rows.getInt(3)))
                .single();
            this.jdbc.sql(SCHEDULE_REMINDERS).param(new SqlArrayValue("text", sensors.toArray())).update();
            return result;
        });
    }

    /**
     * What one fan-out did.
     *
     * @param events status changes taken from the outbox
     * @param deliveries deliveries created from them
     * @param ready those of them that may be attempted at once (not waiting for an
     * earlier one of their webhook and sensor)
     */
    public record Result(int events, int deliveries, int ready) {
    }

}
