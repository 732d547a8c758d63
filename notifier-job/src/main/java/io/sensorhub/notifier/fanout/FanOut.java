package io.sensorhub.notifier.fanout;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.logging.Correlation;
import io.sensorhub.notifier.reminders.Reminders;
import io.sensorhub.notifier.stream.ClientEventLog;
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
 * {@code sensorhub_webhook_body} and {@code sensorhub_json_time} (the one envelope and
 * time format of every webhook body). A delivery behind an earlier pending one of the
 * same webhook and sensor is created {@code waiting}, by the order rule of
 * {@link io.sensorhub.notifier.delivery.DeliveryRecords}. Its {@code host} is set by the
 * database.
 * <p>
 * Silences (migration V75): a change that an active silence matches at its
 * {@code changed_at} gets no delivery; its sensor is held in {@code silenced_sensors}
 * instead, under the same lock, until {@code SilenceRelease} sends its newest change.
 * <p>
 * Every change taken, silenced or not, is appended to the live stream's log
 * ({@link ClientEventLog}) in the same transaction, a silenced one with
 * {@code "silenced": true}; a change no webhook wants is streamed all the same. The
 * catch-up {@code SilenceRelease} sends later is not streamed again: the stream carried
 * each silenced change already.
 */
public class FanOut {

    /**
     * The sensors of the oldest outbox rows, each locked if no other transaction holds it
     * (another fan-out, or the bookkeeping of one of its deliveries). The oldest rows are
     * a subquery with a LIMIT, so the lock function runs for those rows' sensors only.
     */
    private static final String LOCK_SENSORS = """
            WITH oldest AS (SELECT sensor_id FROM status_change_outbox ORDER BY created_at LIMIT ?)
            SELECT o.sensor_id, pg_try_advisory_xact_lock(%s) AS locked, (SELECT count(*) FROM oldest) AS seen
            FROM (SELECT DISTINCT sensor_id FROM oldest) o""".formatted(sensorLock("o.sensor_id"));

    /**
     * Waits for the advisory locks of the sensors of a {@code text[]} parameter, in the
     * order of their keys, so that two transactions taking them this way never wait for
     * each other: recording the end of deliveries, and releasing silenced sensors.
     */
    public static final String LOCK_SENSORS_IN_ORDER = """
            SELECT pg_advisory_xact_lock(%s)
            FROM (SELECT s.sensor_id FROM unnest(?::text[]) AS s(sensor_id)
                  GROUP BY s.sensor_id ORDER BY hashtext(s.sensor_id)) s""".formatted(sensorLock("s.sensor_id"));

    /**
     * The correlation id of a status change {@code sc}: the identity of the reading that
     * caused it ({@link Correlation#ofReading}), for OFFLINE its time.
     */
    public static final String CORRELATION = "sc.sensor_id || '@' || to_char(coalesce(sc.reported_at, sc.changed_at) "
            + "AT TIME ZONE 'UTC', '" + Correlation.SQL_TIMESTAMP_FORMAT + "')";

    /**
     * Takes the locked sensors' lowest outbox rows and judges each change: silenced or
     * not (an active silence matches it at its {@code changed_at}:
     * {@code sensorhub_silences_matching}, migration V75). A change that is not silenced
     * becomes one delivery per matching webhook. A sensor whose newest change here is
     * silenced is held ({@code silenced_sensors}: its run of silenced changes continues,
     * or starts anew if a change was sent in between); one whose newest change was sent
     * is held no more. Answers the changes taken, the deliveries made, the sensors held
     * and, of those, how many no silence matches now (a late change: the release can send
     * them at once).
     */
    static final String FAN_OUT = """
            WITH claimed AS (
                SELECT o.event_id, o.sensor_id, o.sequence, o.changed_at
                FROM unnest(?::text[]) AS locked(sensor_id)
                CROSS JOIN LATERAL (SELECT * FROM status_change_outbox o WHERE o.sensor_id = locked.sensor_id
                                    ORDER BY o.sequence LIMIT ? FOR UPDATE) o),
            removed AS (
                DELETE FROM status_change_outbox o USING claimed c WHERE o.event_id = c.event_id RETURNING o.event_id),
            judged AS MATERIALIZED (
                SELECT sc.event_id, sc.sensor_id, sc.sequence, sc.status, sc.changed_at, s.client_id,
                       sensorhub_status_change_data(sc) AS data, %s AS correlation_id,
                       EXISTS (SELECT 1 FROM sensorhub_silences_matching(s.client_id, sc.sensor_id, sc.status, sc.changed_at))
                           AS silenced
                FROM claimed c
                -- each change by its key, changed_at included, so one partition's index is probed once;
                -- a join the planner may drive by sensor alone reads the sensor's whole history instead
                CROSS JOIN LATERAL (SELECT * FROM status_changes sc
                                    WHERE sc.sensor_id = c.sensor_id AND sc.sequence = c.sequence
                                      AND sc.changed_at = c.changed_at OFFSET 0) sc
                JOIN sensors s ON s.id = c.sensor_id),
            inserted AS (
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, waiting, payload,
                                                correlation_id)
                SELECT gen_random_uuid(), w.id, j.event_id, 'sensor.status_changed', j.sensor_id, j.sequence,
                       row_number() OVER (PARTITION BY w.id, j.sensor_id ORDER BY j.sequence) > 1
                           OR EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = w.id
                                      AND e.sensor_id = j.sensor_id AND e.state = 'pending' AND e.sequence < j.sequence),
                       sensorhub_webhook_body('sensor.status_changed', j.changed_at, j.data), j.correlation_id
                FROM judged j
                JOIN webhooks w ON w.client_id = j.client_id AND w.enabled
                WHERE NOT j.silenced
                  AND 'sensor.status_changed' = ANY (w.event_types)
                  AND (w.sensor_ids IS NULL OR j.sensor_id = ANY (w.sensor_ids))
                  AND (w.statuses IS NULL OR j.status = ANY (w.statuses))
                ORDER BY j.sensor_id, j.sequence
                ON CONFLICT (webhook_id, event_id) DO NOTHING
                RETURNING waiting),
            runs AS (
                SELECT j.sensor_id, j.client_id, max(j.sequence) AS newest,
                       max(j.sequence) FILTER (WHERE NOT j.silenced) AS last_sent
                FROM judged j GROUP BY j.sensor_id, j.client_id),
            tail_counts AS (
                SELECT j.sensor_id, j.status, count(*) AS held, min(j.sequence) AS first_sequence
                FROM judged j JOIN runs r ON r.sensor_id = j.sensor_id
                WHERE j.silenced AND j.sequence > coalesce(r.last_sent, 0)
                GROUP BY j.sensor_id, j.status),
            tails AS (
                SELECT t.sensor_id, min(t.first_sequence) AS first_sequence, jsonb_object_agg(t.status, t.held) AS held,
                       n.sequence, n.changed_at, n.status, r.client_id
                FROM tail_counts t
                JOIN runs r ON r.sensor_id = t.sensor_id
                JOIN judged n ON n.sensor_id = r.sensor_id AND n.sequence = r.newest
                GROUP BY t.sensor_id, n.sequence, n.changed_at, n.status, r.client_id),
            unheld AS (
                DELETE FROM silenced_sensors h USING runs r
                WHERE h.sensor_id = r.sensor_id AND r.last_sent = r.newest),
            holding AS (
                INSERT INTO silenced_sensors AS h (sensor_id, first_sequence, sequence, changed_at, status, held)
                SELECT t.sensor_id, t.first_sequence, t.sequence, t.changed_at, t.status, t.held FROM tails t
                ON CONFLICT (sensor_id) DO UPDATE SET
                    -- the run goes on if the first change held here follows the one held; else one was sent between
                    first_sequence = CASE WHEN excluded.first_sequence = h.sequence + 1 THEN h.first_sequence
                                          ELSE excluded.first_sequence END,
                    held = CASE WHEN excluded.first_sequence = h.sequence + 1 THEN sensorhub_add_counts(h.held, excluded.held)
                                ELSE excluded.held END,
                    sequence = excluded.sequence, changed_at = excluded.changed_at, status = excluded.status
                RETURNING 1)
            SELECT (SELECT count(*) FROM removed) AS events, (SELECT count(*) FROM inserted) AS deliveries,
                   (SELECT count(*) FROM inserted WHERE NOT waiting) AS ready, (SELECT count(*) FROM holding) AS held,
                   (SELECT count(*) FROM tails t WHERE NOT EXISTS (
                       SELECT 1 FROM sensorhub_silences_matching(t.client_id, t.sensor_id, t.status, ?)))
                       AS releasable,
                   (SELECT jsonb_agg(%s ORDER BY j.sensor_id, j.sequence) FROM judged j)::text AS stream,
                   EXISTS (SELECT 1 FROM judged j JOIN webhooks w ON w.client_id = j.client_id
                           WHERE w.repeat_interval IS NOT NULL) AS reminders"""
        .formatted(CORRELATION,
                ClientEventLog.event("j.client_id", "j.event_id", "'sensor.status_changed'",
                        "sensorhub_webhook_body('sensor.status_changed', j.changed_at, j.data) "
                                + "|| CASE WHEN j.silenced THEN '{\"silenced\": true}'::jsonb ELSE '{}'::jsonb END"));

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
            """ + Reminders.SCHEDULE_WANTED + """
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

    private final Clock clock;

    /**
     * @param transactions READ COMMITTED (PostgreSQL's default), so that each statement
     * sees what was committed before it started
     * @param clock what "now" is for silences (changes are judged at their own time; only
     * whether a held sensor can be released at once is judged now)
     */
    public FanOut(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    public FanOut(JdbcClient jdbc, TransactionTemplate transactions) {
        this(jdbc, transactions, Clock.systemUTC());
    }

    /**
     * Fans out up to {@code limit} status changes (or one per sensor, if more sensors are
     * due) in one transaction. Fewer, or none, does not mean the outbox is drained:
     * sensors another instance holds wait.
     */
    public Result fanOut(int limit) {
        return this.transactions.execute(status -> {
            Locked<String> due = Locked.lock(this.jdbc, LOCK_SENSORS, limit, String.class);
            List<String> sensors = due.keys();
            if (sensors.isEmpty()) {
                return new Result(0, 0, 0, 0, 0, due.busy(), false);
            }
            // each sensor's share of the batch, so a sensor with a long backlog does not
            // hold up the others
            int perSensor = Math.max(1, limit / sensors.size());
            String[] stream = new String[1];
            boolean[] reminders = new boolean[1];
            Result result = this.jdbc.sql(FAN_OUT)
                .params(new SqlArrayValue("text", sensors.toArray()), perSensor,
                        OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
                .query((rows, n) -> {
                    stream[0] = rows.getString(6);
                    reminders[0] = rows.getBoolean(7);
                    return new Result(rows.getInt(1), rows.getInt(2), rows.getInt(3), rows.getInt(4), rows.getInt(5),
                            due.busy(), due.full(limit, rows.getInt(1), perSensor));
                })
                .single();
            // (a client none of whose webhooks has a repeat interval has no schedule to
            // keep: rows left from before one was removed end when due)
            if (reminders[0]) {
                this.jdbc.sql(SCHEDULE_REMINDERS).param(new SqlArrayValue("text", sensors.toArray())).update();
            }
            // last: the stream's lock is held from here to the commit only
            ClientEventLog.append(this.jdbc, stream[0]);
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
     * @param held sensors held back by a silence (their newest change here was silenced)
     * @param releasable of those, how many no silence matches any more (changes fanned
     * out after their silence ended)
     * @param busy keys (sensors, webhooks) with due events that another transaction held,
     * left for a later round: not an empty outbox
     * @param full whether events may have been left because the batch was full: the
     * oldest {@code limit} events had more keys behind them, or a key may have had more
     * than its share. Else the round took every event committed before it began, and
     * those committed since are announced by a NOTIFY: no round needs to follow to find
     * the outbox empty.
     */
    public record Result(int events, int deliveries, int ready, int held, int releasable, int busy, boolean full) {

        /** Nothing taken, nothing found held. */
        public static final Result NONE = new Result(0, 0, 0, 0, 0, 0, false);

    }

    /**
     * The keys of due events this transaction locked, how many others it found held, and
     * how many of the oldest due events it looked at (at most the limit) to find them.
     */
    record Locked<K>(List<K> keys, int busy, int seen) {

        /**
         * Runs a query answering each due key, whether this transaction could lock it
         * ({@code pg_try_advisory_xact_lock}), and how many events it looked at.
         */
        static <K> Locked<K> lock(JdbcClient jdbc, String sql, int limit, Class<K> type) {
            List<K> keys = new ArrayList<>();
            int[] busy = new int[1];
            int[] seen = new int[1];
            jdbc.sql(sql).param(limit).query(rows -> {
                seen[0] = rows.getInt(3);
                if (rows.getBoolean(2)) {
                    keys.add(rows.getObject(1, type));
                }
                else {
                    busy[0]++;
                }
            });
            return new Locked<>(keys, busy[0], seen[0]);
        }

        /**
         * Whether the round may have left due events ({@link Result#full}): the limit cut
         * the events looked at, so more keys may be due behind them, or it took so many
         * that a key may have had more than its share.
         * @param taken the events the round took
         * @param share the most it took of one key
         */
        boolean full(int limit, int taken, int share) {
            return this.seen >= limit || taken >= share;
        }

    }

}
