package io.sensorhub.notifier.reminders;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.notifier.delivery.DeliveryRecords;
import io.sensorhub.notifier.fanout.FanOut;
import io.sensorhub.notifier.stream.ClientEventLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends reminders from the schedule the fan-out keeps ({@code webhook_reminders}, one row
 * per webhook and sensor whose CRITICAL, FAULT or OFFLINE status it wants reminders of),
 * and withdraws reminders that are no longer wanted.
 * <p>
 * <b>Durable.</b> Due rows are claimed with {@code FOR UPDATE SKIP LOCKED}; in the same
 * transaction each one's delivery is inserted and its {@code due_at} moved on, so a crash
 * or restart loses none and repeats none, and several instances share the due rows. A
 * reminder's {@code webhook-id} is derived from the change's event id, the webhook and
 * the reminder's number, so even a reminder made twice (a database crash forgetting a
 * commit) reaches a receiver with the same {@code webhook-id}.
 * <p>
 * <b>Order.</b> A reminder carries the sequence of the change it reminds of, and is only
 * made while no delivery of its webhook and sensor is pending (else it waits one
 * interval), under the sensor's advisory lock ({@link FanOut#sensorLock}) that the
 * fan-out and the delivery bookkeeping hold: so it never overtakes the change, and a
 * later change waits for it by the usual order rule ({@link DeliveryRecords}). A reminder
 * is made only while {@code sensorhub_reminder_wanted} (the change is still current, its
 * status one to remind of, and not acknowledged); one that is pending when that stops
 * being true (its attempts failed, and the status changed or was acknowledged meanwhile)
 * is withdrawn (deleted, with its attempts) unless an attempt is in flight, and the next
 * delivery of its webhook and sensor stops waiting.
 * <p>
 * <b>Stream.</b> A reminder sent is appended to the live stream's log
 * ({@link ClientEventLog}) in the same transaction, once per change and reminder number
 * whichever webhooks send it ({@link #STREAM_EVENT_ID}): a client without a webhook that
 * wants reminders has none in its stream either, since reminders are scheduled per
 * webhook.
 */
public class Reminders {

    /**
     * Whether a due reminder is held back for now: it stays scheduled and is looked at
     * again one repeat interval later. An SQL predicate over {@code r}, the reminder's
     * row ({@code sensor_id}, {@code sequence}, {@code data} with the change's
     * {@code status}), and {@code w}, its webhook: held back while an active silence
     * matches the sensor and its status (no reminder is sent while it is silenced).
     */
    static final String HELD_BACK = "EXISTS (SELECT 1 FROM sensorhub_silences_matching(w.client_id, r.sensor_id, "
            + "r.data ->> 'status', now()))";

    /**
     * A reminder's event id in the live stream: of the change and the reminder's number,
     * not of the webhook, so the n-th reminder of a change is streamed once, by the first
     * webhook to send its n-th reminder, however many webhooks of the client get
     * reminders ({@code client_events} is unique on client and event id).
     */
    private static final String STREAM_EVENT_ID = "md5('sensor.status_reminder/' || s.change_event_id || '/' "
            + "|| s.reminders)::uuid";

    private static final String CLAIM_DUE = """
            SELECT d.sensor_id, d.webhook_id FROM (
                SELECT r.sensor_id, r.webhook_id FROM webhook_reminders r JOIN webhooks w ON w.id = r.webhook_id
                WHERE r.due_at <= now() ORDER BY r.due_at LIMIT ?
                FOR UPDATE OF r SKIP LOCKED FOR KEY SHARE OF w SKIP LOCKED) d
            WHERE pg_try_advisory_xact_lock(%s)""".formatted(FanOut.sensorLock("d.sensor_id"));

    /**
     * What becomes of each claimed reminder: ended (the webhook no longer wants it, or
     * the reminder is no longer wanted), postponed one interval (webhook disabled, held
     * back, or a delivery of its webhook and sensor pending) or sent (its delivery
     * inserted, its count and due time moved on: from the time it was due, or from now
     * after a pause, so a stopped notifier-job sends one reminder when it is back, not a
     * burst). A statement of its own, started after the locks were granted, so it sees
     * what their previous holders committed.
     */
    private static final String SEND = """
            WITH due AS MATERIALIZED (
                SELECT r.sensor_id, r.webhook_id, w.repeat_interval, CASE
                    WHEN w.repeat_interval IS NULL OR NOT ('sensor.status_reminder' = ANY (w.event_types))
                         OR NOT (w.sensor_ids IS NULL OR r.sensor_id = ANY (w.sensor_ids))
                         OR NOT (w.statuses IS NULL OR (r.data ->> 'status') = ANY (w.statuses))
                         OR NOT sensorhub_reminder_wanted(r.sensor_id, r.sequence) THEN 'end'
                    WHEN NOT w.enabled OR (%s)
                         OR EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = r.webhook_id
                                    AND p.sensor_id = r.sensor_id AND p.state = 'pending') THEN 'wait'
                    ELSE 'send' END AS action
                FROM unnest(?::text[], ?::uuid[]) AS k(sensor_id, webhook_id)
                JOIN webhook_reminders r ON r.sensor_id = k.sensor_id AND r.webhook_id = k.webhook_id
                JOIN webhooks w ON w.id = r.webhook_id),
            ended AS (
                DELETE FROM webhook_reminders r USING due d
                WHERE d.action = 'end' AND r.sensor_id = d.sensor_id AND r.webhook_id = d.webhook_id),
            postponed AS (
                UPDATE webhook_reminders r SET due_at = now() + make_interval(secs => d.repeat_interval)
                FROM due d WHERE d.action = 'wait' AND r.sensor_id = d.sensor_id AND r.webhook_id = d.webhook_id),
            sent AS (
                UPDATE webhook_reminders r SET reminders = r.reminders + 1,
                    due_at = CASE WHEN r.due_at + make_interval(secs => d.repeat_interval) > now()
                                  THEN r.due_at + make_interval(secs => d.repeat_interval)
                                  ELSE now() + make_interval(secs => d.repeat_interval) END
                FROM due d WHERE d.action = 'send' AND r.sensor_id = d.sensor_id AND r.webhook_id = d.webhook_id
                RETURNING r.sensor_id, r.webhook_id, r.sequence, r.change_event_id, r.data, r.reminders),
            inserted AS (
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload)
                SELECT gen_random_uuid(), s.webhook_id,
                       md5('sensor.status_reminder/' || s.change_event_id || '/' || s.webhook_id || '/' || s.reminders)::uuid,
                       'sensor.status_reminder', s.sensor_id, s.sequence,
                       sensorhub_webhook_body('sensor.status_reminder', now(),
                           sensorhub_status_reminder_data(s.data, s.reminders))
                FROM sent s
                ON CONFLICT (webhook_id, event_id) DO NOTHING
                RETURNING 1),
            streamed AS (
                SELECT DISTINCT ON (w.client_id, s.change_event_id, s.reminders) w.client_id, s.sensor_id, s.sequence,
                       s.change_event_id, s.data, s.reminders
                FROM sent s JOIN webhooks w ON w.id = s.webhook_id
                ORDER BY w.client_id, s.change_event_id, s.reminders)
            SELECT (SELECT count(*) FROM inserted),
                   (SELECT jsonb_agg(%s ORDER BY s.sensor_id, s.sequence, s.reminders) FROM streamed s)::text"""
        .formatted(HELD_BACK,
                ClientEventLog.event("s.client_id", STREAM_EVENT_ID, "'sensor.status_reminder'",
                        "sensorhub_webhook_body('sensor.status_reminder', now(), "
                                + "sensorhub_status_reminder_data(s.data, s.reminders))"));

    private static final String FIND_UNWANTED = """
            SELECT u.id FROM (
                SELECT d.id, d.sensor_id FROM webhook_deliveries d
                WHERE d.state = 'pending' AND d.event_type = 'sensor.status_reminder'
                  AND (d.locked_until IS NULL OR d.locked_until < now())
                  AND NOT sensorhub_reminder_wanted(d.sensor_id, d.sequence)
                LIMIT ?) u
            WHERE pg_try_advisory_xact_lock(%s)""".formatted(FanOut.sensorLock("u.sensor_id"));

    /**
     * Deletes them, checking again in a statement started after the locks were granted
     * (an attempt may have been claimed meanwhile).
     */
    private static final String WITHDRAW = """
            DELETE FROM webhook_deliveries d
            WHERE d.id = ANY (?) AND d.state = 'pending' AND (d.locked_until IS NULL OR d.locked_until < now())
              AND NOT sensorhub_reminder_wanted(d.sensor_id, d.sequence)
            RETURNING d.webhook_id, d.sensor_id""";

    /**
     * Schedules a reminder for each row of a CTE {@code wanted} ({@code sensor_id},
     * {@code sequence} of its current change, {@code webhook_id},
     * {@code repeat_interval}): the change's data taken from the history, first due one
     * interval from now. Its user adds the {@code ON CONFLICT} clause: the fan-out's and
     * the settings' differ.
     */
    public static final String SCHEDULE_WANTED = """
            INSERT INTO webhook_reminders (sensor_id, webhook_id, sequence, change_event_id, data, due_at)
            SELECT wa.sensor_id, wa.webhook_id, wa.sequence, sc.event_id, sensorhub_status_change_data(sc),
                   now() + make_interval(secs => wa.repeat_interval)
            FROM wanted wa
            -- the change by its sensor and sequence: one probe of each partition's primary key
            CROSS JOIN LATERAL (SELECT * FROM status_changes sc
                                WHERE sc.sensor_id = wa.sensor_id AND sc.sequence = wa.sequence OFFSET 0) sc
            """;

    /**
     * Applies the reminder settings of webhooks whose settings changed (marked by the
     * trigger of migration V79 when crud-service wrote them), and clears the mark: rows
     * of webhooks that no longer want reminders end; the others' next reminders come no
     * later than one interval from now; and a row is scheduled, first due one interval
     * from now, for each sensor of the client whose current status is one to remind of,
     * unless the fan-out is still to hand it a change (it schedules then) or it is
     * acknowledged. Rows that the new filters no longer let through end when due. Racing
     * the fan-out is harmless: a row for a change that is no longer current ends when
     * due, and one for the current change is not replaced.
     */
    private static final String APPLY_SETTINGS = """
            WITH changed AS (
                UPDATE webhooks w SET reminders_changed = false
                FROM (SELECT id FROM webhooks WHERE reminders_changed ORDER BY id LIMIT ?
                      FOR UPDATE SKIP LOCKED) m
                WHERE w.id = m.id
                RETURNING w.id, w.client_id, w.event_types, w.sensor_ids, w.statuses,
                          CASE WHEN 'sensor.status_reminder' = ANY (w.event_types) THEN w.repeat_interval END
                              AS repeat_interval),
            ended AS (
                DELETE FROM webhook_reminders r USING changed c
                WHERE r.webhook_id = c.id AND c.repeat_interval IS NULL),
            moved AS (
                UPDATE webhook_reminders r SET due_at = least(r.due_at, now() + make_interval(secs => c.repeat_interval))
                FROM changed c WHERE r.webhook_id = c.id AND c.repeat_interval IS NOT NULL),
            wanted AS MATERIALIZED (
                SELECT st.sensor_id, st.sequence, c.id AS webhook_id, c.repeat_interval
                FROM changed c
                JOIN sensors s ON s.client_id = c.client_id
                JOIN sensor_state st ON st.sensor_id = s.id
                WHERE c.repeat_interval IS NOT NULL
                  AND st.status IN ('CRITICAL', 'FAULT', 'OFFLINE')
                  AND (c.sensor_ids IS NULL OR st.sensor_id = ANY (c.sensor_ids))
                  AND (c.statuses IS NULL OR st.status = ANY (c.statuses))
                  AND NOT EXISTS (SELECT 1 FROM status_change_outbox o WHERE o.sensor_id = st.sensor_id)
                  AND sensorhub_reminder_wanted(st.sensor_id, st.sequence))
            """
            + SCHEDULE_WANTED + """
                    ON CONFLICT (sensor_id, webhook_id) DO NOTHING""";

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    /**
     * @param transactions READ COMMITTED, so that each statement sees what was committed
     * before it started
     */
    public Reminders(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Handles up to {@code limit} due reminders in one transaction (those another
     * instance holds, or whose sensor is being fanned out, wait for the next round).
     * @return how many were claimed
     */
    public int sendDue(int limit) {
        return this.transactions.execute(status -> {
            List<String> sensors = new ArrayList<>();
            List<UUID> webhooks = new ArrayList<>();
            this.jdbc.sql(CLAIM_DUE).param(limit).query((rows, n) -> {
                sensors.add(rows.getString(1));
                return webhooks.add(rows.getObject(2, UUID.class));
            }).list();
            if (sensors.isEmpty()) {
                return 0;
            }
            String[] stream = new String[1];
            long sent = this.jdbc.sql(SEND)
                .params(new SqlArrayValue("text", sensors.toArray()), new SqlArrayValue("uuid", webhooks.toArray()))
                .query((rows, n) -> {
                    stream[0] = rows.getString(2);
                    return rows.getLong(1);
                })
                .single();
            if (sent > 0) {
                notifyDeliveries();
            }
            // last: the stream's lock is held from here to the commit only
            ClientEventLog.append(this.jdbc, stream[0]);
            return sensors.size();
        });
    }

    /**
     * Applies the changed reminder settings of up to {@code limit} webhooks, in one
     * transaction ({@link #APPLY_SETTINGS}).
     * @return how many reminders were scheduled
     */
    public int applyChangedSettings(int limit) {
        return this.transactions.execute(status -> this.jdbc.sql(APPLY_SETTINGS).param(limit).update());
    }

    /**
     * Withdraws up to {@code limit} pending reminders that are no longer wanted, in one
     * transaction.
     * @return how many were withdrawn
     */
    public int withdrawUnwanted(int limit) {
        return this.transactions.execute(status -> {
            List<UUID> ids = this.jdbc.sql(FIND_UNWANTED).param(limit).query(UUID.class).list();
            if (ids.isEmpty()) {
                return 0;
            }
            List<UUID> webhooks = new ArrayList<>();
            List<String> sensors = new ArrayList<>();
            this.jdbc.sql(WITHDRAW).param(new SqlArrayValue("uuid", ids.toArray())).query((rows, n) -> {
                webhooks.add(rows.getObject(1, UUID.class));
                return sensors.add(rows.getString(2));
            }).list();
            if (!webhooks.isEmpty()) {
                this.jdbc.sql(DeliveryRecords.PROMOTE)
                    .params(new SqlArrayValue("uuid", webhooks.toArray()), new SqlArrayValue("text", sensors.toArray()))
                    .update();
                notifyDeliveries();
            }
            return webhooks.size();
        });
    }

    /** When the next reminder is due, if any is scheduled. */
    public Optional<Instant> nextDue() {
        return this.jdbc.sql("SELECT min(due_at) FROM webhook_reminders")
            .query((rows, n) -> Optional.ofNullable(rows.getTimestamp(1)).map(Timestamp::toInstant))
            .single();
    }

    private void notifyDeliveries() {
        this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.DELIVERIES).query().listOfRows();
    }

}
