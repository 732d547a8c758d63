package io.sensorhub.notifier.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.sensorhub.common.signing.WebhookSecrets;
import io.sensorhub.notifier.delivery.DeliveryPolicy.Verdict;
import io.sensorhub.notifier.fanout.FanOut;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery bookkeeping in {@code webhook_deliveries},
 * {@code webhook_delivery_attempts} and {@code webhooks}, in set-based statements so one
 * round trip serves a whole batch.
 * <p>
 * A delivery is attempted by one instance at a time: claiming takes a lease
 * ({@code locked_by}, {@code locked_until}) on due pending rows with
 * {@code FOR UPDATE SKIP LOCKED}; a lease that lapses (its instance crashed) makes the
 * row claimable again. Results are written only while the lease is still this instance's.
 * <p>
 * <b>Order.</b> For each (webhook, sensor), only the pending delivery with the lowest
 * sequence may be claimed: event n+1 is never attempted before n has succeeded or died.
 * One mechanism keeps it, with one safety net:
 * <ul>
 * <li>The {@code waiting} flag. The fan-out creates a delivery {@code waiting} when an
 * earlier one of its webhook and sensor is pending (in the database or in the same
 * batch); recording the end (success or death) of a delivery clears the flag of the next
 * pending one of its webhook and sensor ({@code PROMOTE}). Claims read only deliveries
 * that are not waiting, through the host index, however long a queue is. Recording and
 * fanning out meet under the sensor's advisory lock ({@link FanOut#sensorLock}): the
 * fan-out holds it while it decides and inserts, and the record takes it before anything
 * else, so either the record sees the fan-out's new delivery and clears its flag, or the
 * fan-out sees the end of the earlier one and does not set it. Without it, a delivery
 * created waiting while its predecessor's end was being recorded would wait forever. Only
 * recording clears the flag: a pending delivery finished by hand in psql leaves the next
 * one waiting (docs/operations.md).</li>
 * <li>The safety net: the claim takes a delivery only if no pending delivery of its
 * webhook and sensor has a lower sequence, whatever the flags say. It is what keeps the
 * order when a finished delivery is made pending again (redeliver, recover): the database
 * makes a revived delivery not waiting, so an older revived delivery and a later one may
 * both be not waiting, and the later one waits for the older one through this check.</li>
 * </ul>
 */
public class DeliveryRecords {

    /**
     * How the sessions that run these statements plan them (the bookkeeping pool's
     * connection set-up): once per connection, since the loop runs the same few
     * statements thousands of times. {@code DeliveryPlansIntegrationTest} checks the
     * plans made so.
     */
    public static final String PLANNER_SETTINGS = "SET plan_cache_mode = force_generic_plan";

    /**
     * The hosts that have ready (pending, not waiting) deliveries, one index probe each:
     * a loose scan of {@code webhook_deliveries_host_ready_idx}, however long any host's
     * queue. Each step reads the first entry after the last host in index order
     * ({@code ORDER BY host LIMIT 1}, not {@code min(host)}: a planner that believes the
     * index empty may aggregate the whole rest of it for a {@code min}).
     */
    private static final String HOSTS = """
            WITH RECURSIVE hosts AS (
                (SELECT host FROM webhook_deliveries WHERE state = 'pending' AND NOT waiting ORDER BY host LIMIT 1)
                UNION ALL
                SELECT (SELECT n.host FROM webhook_deliveries n
                        WHERE n.state = 'pending' AND NOT n.waiting AND n.host > h.host ORDER BY n.host LIMIT 1)
                FROM hosts h WHERE h.host IS NOT NULL)""";

    /**
     * Claims due, ready deliveries, oldest first, at most the room left per host: for
     * each host with room, its oldest claimable deliveries from the host index (a host at
     * its limit costs one probe, not a scan of its backlog); of those, the oldest are
     * locked one by one with {@code SKIP LOCKED} until {@code limit} are held, so no row
     * is locked that is not leased.
     * <p>
     * Written so that no plan can scan a backlog whatever the statistics say (a queue's
     * partial indexes are often empty when analysed, and the planner then believes them
     * empty however full they are): the per-row checks are subplans ({@code OFFSET 0}),
     * and each lock goes through the primary key ({@code OFFSET 0} keeps the pending
     * check from being pushed down onto a partial index). The {@code NOT EXISTS} is the
     * order's safety net (see the class comment). The URL is read from the webhook here,
     * at every claim; the stored host only schedules.
     */
    static final String CLAIM = HOSTS + """
            ,
            room AS (
                SELECT h.host, ? - coalesce(busy.load, 0) AS room
                FROM hosts h LEFT JOIN unnest(?::text[], ?::int4[]) AS busy(host, load) ON busy.host = h.host
                WHERE h.host IS NOT NULL),
            candidates AS MATERIALIZED (
                SELECT c.id, c.next_attempt_at
                FROM room r CROSS JOIN LATERAL (
                    SELECT c.id, c.next_attempt_at FROM webhook_deliveries c
                    WHERE c.host = r.host AND c.state = 'pending' AND NOT c.waiting AND c.next_attempt_at <= now()
                      AND (c.locked_until IS NULL OR c.locked_until < now())
                      AND (SELECT cw.enabled FROM webhooks cw WHERE cw.id = c.webhook_id)
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                                      WHERE e.webhook_id = c.webhook_id AND e.sensor_id = c.sensor_id
                                        AND e.state = 'pending' AND e.sequence < c.sequence OFFSET 0)
                    ORDER BY c.next_attempt_at
                    LIMIT least(r.room, ?)) c
                WHERE r.room > 0),
            chosen AS (
                SELECT l.id
                FROM (SELECT id, next_attempt_at FROM candidates ORDER BY next_attempt_at) c
                CROSS JOIN LATERAL (
                    SELECT d.id, d.state, d.waiting, d.locked_until FROM webhook_deliveries d WHERE d.id = c.id
                    OFFSET 0 FOR UPDATE SKIP LOCKED) l
                WHERE l.state = 'pending' AND NOT l.waiting AND (l.locked_until IS NULL OR l.locked_until < now())
                LIMIT ?)
            UPDATE webhook_deliveries d
            SET locked_by = ?, locked_until = now() + make_interval(secs => ?)
            FROM webhooks w
            WHERE w.id = d.webhook_id AND d.id IN (SELECT id FROM chosen)
            RETURNING d.id, d.webhook_id, d.event_id, d.sensor_id, d.payload::text AS payload, d.attempt_count,
                      d.retry_base,
                      -- a status change's own time; a reminder's data holds its change's: its creation
                      coalesce(CASE WHEN d.event_type = 'sensor.status_changed'
                                    THEN (d.payload #>> '{data,changedAt}')::timestamptz END,
                               d.created_at) AS origin,
                      w.url, d.host, w.secret, w.previous_secret, w.secret_rotated_at, d.correlation_id""";

    /**
     * The earliest future due time of a ready delivery: one probe per host with ready
     * deliveries.
     */
    static final String NEXT_WAKE_UP = HOSTS + """

            SELECT min((SELECT min(d.next_attempt_at) FROM webhook_deliveries d
                        WHERE d.host = h.host AND d.state = 'pending' AND NOT d.waiting AND d.next_attempt_at > now()))
            FROM hosts h WHERE h.host IS NOT NULL""";

    /**
     * Writes attempts whose lease is still this instance's, each with its webhook (taken
     * from the delivery) and the beginning of the response's body. The deliveries are
     * looked up (and locked) one by one by primary key, like the claim's locks, so a
     * misestimated plan cannot walk a pending partial index instead.
     */
    static final String RECORD = """
            WITH r AS (
                SELECT * FROM unnest(?::uuid[], ?::int4[], ?::timestamptz[], ?::int4[], ?::int4[], ?::text[],
                                     ?::text[], ?::timestamptz[], ?::text[])
                    AS r(id, attempt, at, status_code, latency_ms, error, state, next_attempt_at, response_body)),
            mine AS (
                SELECT r.* FROM r CROSS JOIN LATERAL (
                    SELECT d.locked_by, d.state, d.attempt_count FROM webhook_deliveries d WHERE d.id = r.id
                    OFFSET 0 FOR UPDATE) d
                WHERE d.locked_by = ? AND d.state = 'pending' AND d.attempt_count = r.attempt - 1),
            updated AS (
                UPDATE webhook_deliveries d
                SET state = m.state, attempt_count = m.attempt,
                    next_attempt_at = coalesce(m.next_attempt_at, d.next_attempt_at),
                    locked_by = NULL, locked_until = NULL,
                    completed_at = CASE WHEN m.state = 'pending' THEN NULL ELSE now() END
                FROM mine m
                WHERE d.id = m.id
                RETURNING d.id, d.webhook_id)
            INSERT INTO webhook_delivery_attempts (delivery_id, webhook_id, attempt, at, status_code, latency_ms, error,
                                                   response_body)
            SELECT m.id, u.webhook_id, m.attempt, m.at, m.status_code, m.latency_ms, m.error, m.response_body
            FROM mine m JOIN updated u USING (id)""";

    /**
     * The next pending delivery of each (webhook, sensor) whose earlier one just finished
     * stops waiting (the head of each found by its own probe of the order index). Also
     * run by the reminders when they withdraw a pending reminder, under the sensor's lock
     * like here. Parameters: the webhooks and the sensors, as arrays.
     */
    public static final String PROMOTE = """
            UPDATE webhook_deliveries d SET waiting = false
            FROM unnest(?::uuid[], ?::text[]) AS f(webhook_id, sensor_id)
            CROSS JOIN LATERAL (SELECT p.id FROM webhook_deliveries p
                                WHERE p.webhook_id = f.webhook_id AND p.sensor_id = f.sensor_id AND p.state = 'pending'
                                ORDER BY p.sequence LIMIT 1) next
            WHERE d.id = next.id AND d.waiting""";

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final WebhookOutcomes webhooks;

    public DeliveryRecords(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.webhooks = new WebhookOutcomes(jdbc);
    }

    /**
     * Leases up to {@code limit} due deliveries, at most {@code perHost} minus its
     * current load per host.
     * @param hostLoad attempts in flight per host (hosts at {@code perHost} are skipped)
     */
    public List<ClaimedDelivery> claim(String instance, int limit, Duration lease, Map<String, Integer> hostLoad,
            int perHost) {
        Object[] hosts = hostLoad.keySet().toArray();
        Object[] loads = hostLoad.values().toArray();
        return this.jdbc.sql(CLAIM)
            .params(perHost, new SqlArrayValue("text", hosts), new SqlArrayValue("int4", loads), limit, limit, instance,
                    lease.toMillis() / 1000.0)
            .query((rows, n) -> claimed(rows))
            .list();
    }

    /** Gives leases back without an attempt (e.g. the host was busy). */
    public void release(String instance, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        this.jdbc.sql(
                "UPDATE webhook_deliveries SET locked_by = NULL, locked_until = NULL WHERE id = ANY (?) AND locked_by = ?")
            .params(new SqlArrayValue("uuid", ids.toArray()), instance)
            .update();
    }

    /**
     * Records attempts and their verdicts in one transaction: the attempt rows, the
     * deliveries' new state, the webhooks' failure streaks, auto-disabling and 410
     * disabling with the events about them ({@link WebhookOutcomes}), and the next
     * delivery of each finished one stops waiting.
     * @param failingAfter consecutive failed attempts that make a webhook failing
     * @return how many results were recorded (a result whose lease was lost is dropped)
     */
    public int record(String instance, List<Outcome> outcomes, Duration disableAfter, int failingAfter) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        List<Outcome> finished = outcomes.stream()
            .filter(o -> o.verdict().state() != DeliveryPolicy.DeliveryState.PENDING && o.delivery().sensorId() != null)
            .toList();
        return this.transactions.execute(status -> {
            // The sensors' locks before any row lock: waiting for a fan-out, this
            // transaction holds nothing anyone waits for, so it cannot close a deadlock
            // (a fan-out may wait for a webhook's deletion, which waits for the
            // deliveries locked below). Then webhook rows, then their deliveries: the
            // order in which deleting a webhook (ON DELETE CASCADE) locks them.
            lockSensors(finished);
            this.webhooks.record(outcomes, disableAfter, failingAfter);
            int recorded = recordAttempts(instance, outcomes);
            promoteNext(finished);
            return recorded;
        });
    }

    private void lockSensors(List<Outcome> finished) {
        if (finished.isEmpty()) {
            return;
        }
        this.jdbc.sql(FanOut.LOCK_SENSORS_IN_ORDER)
            .param(new SqlArrayValue("text", finished.stream().map(o -> o.delivery().sensorId()).toArray()))
            .query()
            .listOfRows();
    }

    private void promoteNext(List<Outcome> finished) {
        if (finished.isEmpty()) {
            return;
        }
        this.jdbc.sql(PROMOTE)
            .params(new SqlArrayValue("uuid", finished.stream().map(o -> o.delivery().webhookId()).toArray()),
                    new SqlArrayValue("text", finished.stream().map(o -> o.delivery().sensorId()).toArray()))
            .update();
    }

    /** The earliest time a claimable delivery becomes due, if any is in the future. */
    public Optional<Instant> nextWakeUp() {
        // Lapsed leases (a crashed instance) are found by the polling interval, not here.
        List<Timestamp> next = this.jdbc.sql(NEXT_WAKE_UP).query((rows, n) -> rows.getTimestamp(1)).list();
        return next.stream().filter(java.util.Objects::nonNull).findFirst().map(Timestamp::toInstant);
    }

    /** Deliveries per state, for the gauges (pending and dead). */
    public Map<String, Long> countsByState() {
        Map<String, Long> counts = new java.util.HashMap<>();
        this.jdbc.sql("""
                SELECT 'pending' AS state, count(*) FROM webhook_deliveries WHERE state = 'pending'
                UNION ALL SELECT 'dead', count(*) FROM webhook_deliveries WHERE state = 'dead'""")
            .query((rows, n) -> counts.put(rows.getString(1), rows.getLong(2)))
            .list();
        return counts;
    }

    private int recordAttempts(String instance, List<Outcome> outcomes) {
        int size = outcomes.size();
        Object[] ids = new Object[size];
        Integer[] attempts = new Integer[size];
        String[] at = new String[size];
        Integer[] codes = new Integer[size];
        Integer[] latencies = new Integer[size];
        String[] errors = new String[size];
        String[] states = new String[size];
        String[] next = new String[size];
        String[] bodies = new String[size];
        for (int i = 0; i < size; i++) {
            Outcome outcome = outcomes.get(i);
            ids[i] = outcome.delivery().id();
            attempts[i] = outcome.delivery().attempt();
            at[i] = outcome.result().at().toString();
            codes[i] = outcome.result().statusCode();
            latencies[i] = outcome.result().latencyMs();
            errors[i] = outcome.result().error();
            states[i] = outcome.verdict().state().column();
            next[i] = (outcome.verdict().nextAttemptAt() != null) ? outcome.verdict().nextAttemptAt().toString() : null;
            bodies[i] = outcome.result().responseBody();
        }
        return this.jdbc.sql(RECORD)
            .params(new SqlArrayValue("uuid", ids), new SqlArrayValue("int4", (Object[]) attempts),
                    new SqlArrayValue("timestamptz", (Object[]) at), new SqlArrayValue("int4", (Object[]) codes),
                    new SqlArrayValue("int4", (Object[]) latencies), new SqlArrayValue("text", (Object[]) errors),
                    new SqlArrayValue("text", (Object[]) states), new SqlArrayValue("timestamptz", (Object[]) next),
                    new SqlArrayValue("text", (Object[]) bodies), instance)
            .update();
    }

    private static ClaimedDelivery claimed(ResultSet rows) throws SQLException {
        int attemptCount = rows.getInt("attempt_count");
        Timestamp rotated = rows.getTimestamp("secret_rotated_at");
        return new ClaimedDelivery(rows.getObject("id", UUID.class), rows.getObject("webhook_id", UUID.class),
                rows.getObject("event_id", UUID.class), rows.getString("sensor_id"), rows.getString("payload"),
                attemptCount + 1, Math.max(0, attemptCount - rows.getInt("retry_base")),
                rows.getTimestamp("origin").toInstant(), rows.getString("url"), String.valueOf(rows.getString("host")),
                new WebhookSecrets(rows.getString("secret"), rows.getString("previous_secret"),
                        (rotated != null) ? rotated.toInstant() : null),
                rows.getString("correlation_id"));
    }

    /**
     * One attempt's result and verdict.
     *
     * @param delivery the delivery attempted
     * @param result what the attempt came to
     * @param verdict what follows
     */
    public record Outcome(ClaimedDelivery delivery, AttemptResult result, Verdict verdict) {
    }

}
