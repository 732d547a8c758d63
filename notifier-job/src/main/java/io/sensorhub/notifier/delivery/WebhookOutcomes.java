package io.sensorhub.notifier.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.notifier.delivery.DeliveryRecords.Outcome;
import io.sensorhub.notifier.delivery.FailureStreak.StreakEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * What attempts mean for their webhooks, recorded with them ({@link DeliveryRecords}):
 * each webhook's {@link FailureStreak}, disabling (after {@code disable-after} of
 * failures, or at once on 410), and the events about it that follow
 * ({@code webhook.failing}, {@code webhook.recovered}, {@code webhook.disabled}), queued
 * in {@code webhook_event_outbox} in the same transaction with a {@code NOTIFY} on
 * {@value Channels#STATUS_CHANGES} that wakes the fan-outs.
 * <p>
 * The rows of the webhooks whose streak may change (a failure in this batch, or a streak
 * or report stored) are locked first, in id order, with the lock an update takes (so
 * inserting a delivery for such a webhook, whose foreign key takes a key share, does not
 * wait); a webhook that only succeeded and has nothing stored costs a look-up and no
 * write. Every event body is built by the schema's {@code sensorhub_webhook_body} around
 * its type's data function ({@code sensorhub_webhook_failing_data} and its kin, migration
 * V76). Events are queued while the webhook's row is locked, so the outbox ids of one
 * webhook's events follow the order they happened in (they order its deliveries).
 */
final class WebhookOutcomes {

    private static final String LOCK_STREAKS = """
            SELECT id, failing_since, consecutive_failures, failing_reported_since FROM webhooks
            WHERE id = ANY (?) AND (id = ANY (?) OR consecutive_failures > 0 OR failing_since IS NOT NULL
                                    OR failing_reported_since IS NOT NULL)
            ORDER BY id FOR NO KEY UPDATE""";

    private static final String UPDATE_STREAKS = """
            UPDATE webhooks w
            SET failing_since = s.failing_since, consecutive_failures = s.failures,
                failing_reported_since = s.reported_since
            FROM unnest(?::uuid[], ?::timestamptz[], ?::int4[], ?::timestamptz[])
                AS s(id, failing_since, failures, reported_since)
            WHERE w.id = s.id""";

    private static final String QUEUE_STREAK_EVENTS = """
            INSERT INTO webhook_event_outbox (client_id, webhook_id, event_type, payload)
            SELECT w.client_id, w.id, e.type, sensorhub_webhook_body(e.type, e.at, CASE e.type
                WHEN 'webhook.failing' THEN sensorhub_webhook_failing_data(w.id, w.url, e.since, e.failures, e.error)
                ELSE sensorhub_webhook_recovered_data(w.id, w.url, e.since, e.at) END)
            FROM unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::int4[], ?::text[])
                WITH ORDINALITY AS e(webhook_id, type, at, since, failures, error, n)
            JOIN webhooks w ON w.id = e.webhook_id
            ORDER BY e.n""";

    /**
     * Queues a {@code webhook.disabled} for each webhook the statement before disables.
     */
    private static final String QUEUE_DISABLED = """
            INSERT INTO webhook_event_outbox (client_id, webhook_id, event_type, payload)
            SELECT d.client_id, d.id, 'webhook.disabled', sensorhub_webhook_body('webhook.disabled', now(),
                sensorhub_webhook_disabled_data(d.id, d.url, d.disabled_reason, now()))
            FROM disabled d ORDER BY d.id""";

    private static final String DISABLE_FAILING = """
            WITH disabled AS (
                UPDATE webhooks SET enabled = false, version = version + 1, updated_at = now(),
                    disabled_reason = 'every delivery attempt failed since ' || to_char(failing_since AT TIME ZONE 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' (sensorhub.webhooks.disable-after)'
                WHERE id = ANY (?) AND enabled AND failing_since <= now() - make_interval(secs => ?)
                RETURNING id, client_id, url, disabled_reason)
            """
            + QUEUE_DISABLED;

    private static final String DISABLE_GONE = """
            WITH disabled AS (
                UPDATE webhooks SET enabled = false, version = version + 1, updated_at = now(),
                    disabled_reason = 'the endpoint answered 410 Gone'
                WHERE id = ANY (?) AND enabled
                RETURNING id, client_id, url, disabled_reason)
            """ + QUEUE_DISABLED;

    private final JdbcClient jdbc;

    WebhookOutcomes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records what the outcomes mean for their webhooks, in the caller's transaction,
     * before the attempts themselves (webhook rows are locked before deliveries).
     */
    void record(List<Outcome> outcomes, Duration disableAfter, int failingAfter) {
        Map<UUID, List<AttemptResult>> results = new LinkedHashMap<>();
        outcomes
            .forEach(o -> results.computeIfAbsent(o.delivery().webhookId(), id -> new ArrayList<>()).add(o.result()));
        Set<UUID> failed = outcomes.stream()
            .filter(o -> !o.result().succeeded())
            .map(o -> o.delivery().webhookId())
            .collect(Collectors.toSet());
        Map<UUID, FailureStreak> stored = lockStreaks(results.keySet(), failed);
        Map<UUID, FailureStreak> changed = new LinkedHashMap<>();
        List<UUID> eventWebhooks = new ArrayList<>();
        List<StreakEvent> events = new ArrayList<>();
        stored.forEach((webhook, before) -> {
            FailureStreak.Progress progress = before.after(results.get(webhook), failingAfter);
            if (!progress.streak().equals(before)) {
                changed.put(webhook, progress.streak());
            }
            progress.events().forEach(event -> {
                eventWebhooks.add(webhook);
                events.add(event);
            });
        });
        updateStreaks(changed);
        int queued = queueStreakEvents(eventWebhooks, events);
        if (!failed.isEmpty()) {
            queued += this.jdbc.sql(DISABLE_FAILING)
                .params(new SqlArrayValue("uuid", failed.toArray()), disableAfter.toMillis() / 1000.0)
                .update();
        }
        Object[] gone = outcomes.stream()
            .filter(o -> o.verdict().disableWebhook())
            .map(o -> o.delivery().webhookId())
            .distinct()
            .toArray();
        if (gone.length > 0) {
            queued += this.jdbc.sql(DISABLE_GONE).params(new SqlArrayValue("uuid", gone)).update();
        }
        if (queued > 0) {
            this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.STATUS_CHANGES).query().listOfRows();
        }
    }

    private Map<UUID, FailureStreak> lockStreaks(Set<UUID> webhooks, Set<UUID> failed) {
        Map<UUID, FailureStreak> streaks = new HashMap<>();
        this.jdbc.sql(LOCK_STREAKS)
            .params(new SqlArrayValue("uuid", webhooks.toArray()), new SqlArrayValue("uuid", failed.toArray()))
            .query((rows, n) -> streaks.put(rows.getObject("id", UUID.class),
                    new FailureStreak(instant(rows.getTimestamp("failing_since")), rows.getInt("consecutive_failures"),
                            instant(rows.getTimestamp("failing_reported_since")))))
            .list();
        return streaks;
    }

    private void updateStreaks(Map<UUID, FailureStreak> changed) {
        if (changed.isEmpty()) {
            return;
        }
        this.jdbc.sql(UPDATE_STREAKS)
            .params(new SqlArrayValue("uuid", changed.keySet().toArray()),
                    new SqlArrayValue("timestamptz",
                            changed.values().stream().map(s -> text(s.failingSince())).toArray()),
                    new SqlArrayValue("int4", changed.values().stream().map(FailureStreak::failures).toArray()),
                    new SqlArrayValue("timestamptz",
                            changed.values().stream().map(s -> text(s.reportedSince())).toArray()))
            .update();
    }

    private int queueStreakEvents(List<UUID> webhooks, List<StreakEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return this.jdbc.sql(QUEUE_STREAK_EVENTS)
            .params(new SqlArrayValue("uuid", webhooks.toArray()),
                    new SqlArrayValue("text", events.stream().map(e -> e.type().wireName()).toArray()),
                    new SqlArrayValue("timestamptz", events.stream().map(e -> text(e.at())).toArray()),
                    new SqlArrayValue("timestamptz", events.stream().map(e -> text(e.failingSince())).toArray()),
                    new SqlArrayValue("int4", events.stream().map(StreakEvent::failures).toArray()),
                    new SqlArrayValue("text", events.stream().map(StreakEvent::lastError).toArray()))
            .update();
    }

    private static Instant instant(Timestamp timestamp) {
        return (timestamp != null) ? timestamp.toInstant() : null;
    }

    private static String text(Instant instant) {
        return Objects.toString(instant, null);
    }

}
