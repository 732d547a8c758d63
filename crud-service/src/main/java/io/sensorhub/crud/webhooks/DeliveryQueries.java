package io.sensorhub.crud.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

import io.sensorhub.common.logging.Correlation;
import io.sensorhub.common.notify.Channels;
import io.sensorhub.crud.web.Cursors;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.sensorhub.crud.webhooks.DeliveryDtos.AttemptResponse;
import io.sensorhub.crud.webhooks.DeliveryDtos.DeliveryResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook deliveries in plain SQL: the listing (filtered, newest first, keyset by
 * creation time and id; attempts of a page in one query), and the changes that hand work
 * to notifier-job, each followed by a {@code NOTIFY} on {@value Channels#DELIVERIES} in
 * the same transaction so it wakes up when the change commits.
 */
@Component
class DeliveryQueries {

    private static final Logger log = LoggerFactory.getLogger(DeliveryQueries.class);

    private static final String DELIVERY_COLUMNS = """
            SELECT id, webhook_id, event_id, event_type, sensor_id, sequence, payload::text AS payload, state,
                   attempt_count, next_attempt_at, created_at, completed_at""";

    private final JdbcClient jdbc;

    private final JsonMapper json;

    DeliveryQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * A page of the webhook's deliveries that pass the filter, newest first by
     * {@code (created_at, id)}, each with its attempts.
     */
    Page<DeliveryResponse> list(UUID webhookId, DeliveryFilter filter, PageQuery page) {
        DeliveryKey after = (page.after() != null) ? DeliveryKey.parse(page.after()) : null;
        JdbcClient.StatementSpec statement = this.jdbc.sql(listing(filter, after != null))
            .param("webhook", webhookId)
            .param("limit", page.fetchSize());
        for (int i = 0; i < filter.states().size(); i++) {
            statement = statement.param("state" + i, filter.states().get(i));
        }
        statement = (filter.sensorId() != null) ? statement.param("sensor", filter.sensorId()) : statement;
        statement = (filter.from() != null) ? statement.param("from", utc(filter.from())) : statement;
        statement = (filter.to() != null) ? statement.param("to", utc(filter.to())) : statement;
        if (after != null) {
            statement = statement.param("afterAt", utc(after.createdAt())).param("afterId", after.id());
        }
        List<DeliveryResponse> rows = statement.query(this::delivery).list();
        Page<DeliveryResponse> result = Page.of(rows, page.limit(),
                delivery -> new DeliveryKey(delivery.createdAt(), delivery.id()).toString());
        Map<UUID, List<AttemptResponse>> attempts = attemptsOf(result.items());
        return result.map(delivery -> delivery.withAttempts(attempts.getOrDefault(delivery.id(), List.of())));
    }

    /**
     * The listing's statement: for each state listed, the newest entries of that state's
     * range of {@code webhook_deliveries_webhook_state_created_idx} (with a sensor:
     * {@code webhook_deliveries_webhook_sensor_idx}), bounded by the filter's times and
     * the cursor, at most a page each; the ranges merged newest first. So a page reads at
     * most a page per state however many deliveries the webhook has, and the order is the
     * index's, which keeps the keyset cursor exact whatever the filter. The states are
     * parameters, not literals, so that a generic plan cannot take a partial index of one
     * state (e.g. the dead deliveries', by completion time) and sort all of it.
     */
    static String listing(DeliveryFilter filter, boolean after) {
        String conditions = ((filter.sensorId() != null) ? " AND sensor_id = :sensor" : "")
                + ((filter.from() != null) ? " AND created_at >= :from" : "")
                + ((filter.to() != null) ? " AND created_at < :to" : "")
                + (after ? " AND (created_at, id) < (:afterAt, :afterId)" : "");
        StringJoiner arms = new StringJoiner("\nUNION ALL\n", "SELECT * FROM (\n",
                "\n) d ORDER BY created_at DESC, id DESC LIMIT :limit");
        for (int i = 0; i < filter.states().size(); i++) {
            arms.add("(" + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE webhook_id = :webhook AND state = :state"
                    + i + conditions + " ORDER BY created_at DESC, id DESC LIMIT :limit)");
        }
        return arms.toString();
    }

    /**
     * Records a {@code webhook.test} event for the webhook, pending now; its body is
     * built by the database's {@code sensorhub_webhook_body}, like every webhook body,
     * and is timestamped with the transaction's time.
     */
    DeliveryDtos.Queued insertTest(UUID webhookId) {
        UUID deliveryId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload, state, next_attempt_at,
                                                correlation_id)
                VALUES (:id, :webhook, :event, 'webhook.test',
                        sensorhub_webhook_body('webhook.test', now(),
                                               jsonb_build_object('webhookId', CAST(:webhook AS text))),
                        'pending', now(), :correlation)""")
            .param("id", deliveryId)
            .param("correlation", Correlation.current().orElse(null))
            .param("webhook", webhookId)
            .param("event", eventId)
            .update();
        notifyNotifier();
        log.info("Queued webhook.test delivery {} (event {}) for webhook {}", deliveryId, eventId, webhookId);
        return new DeliveryDtos.Queued(deliveryId, eventId, "pending");
    }

    /**
     * The delivery's webhook, if it is one of the client's (without locking anything).
     */
    Optional<UUID> webhookOf(UUID deliveryId, UUID clientId) {
        return this.jdbc.sql("""
                SELECT d.webhook_id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.id = ? AND w.client_id = ?""").params(deliveryId, clientId).query(UUID.class).optional();
    }

    /**
     * The delivery's event id and state, if it belongs to one of the client's webhooks;
     * locks it.
     */
    Optional<DeliveryDtos.Queued> findOwned(UUID deliveryId, UUID clientId) {
        return this.jdbc.sql("""
                SELECT d.id, d.event_id, d.state FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.id = ? AND w.client_id = ? FOR UPDATE OF d""")
            .params(deliveryId, clientId)
            .query((rs, row) -> new DeliveryDtos.Queued(rs.getObject("id", UUID.class),
                    rs.getObject("event_id", UUID.class), rs.getString("state")))
            .optional();
    }

    /**
     * Asks for a finished delivery to be delivered again, now; its attempt history (and
     * count) is kept, so attempt numbers keep increasing. Only the request is written:
     * the database's revival trigger resets notifier-job's bookkeeping (completion,
     * lease, retry schedule), which crud-service never writes.
     */
    void makePending(UUID deliveryId) {
        this.jdbc.sql("""
                UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()
                WHERE id = ? AND state <> 'pending'""").param(deliveryId).update();
        notifyNotifier();
    }

    /**
     * Asks for every delivery of the webhook that died at or after {@code since} to be
     * delivered again (their order holds); as {@link #makePending}, only the request is
     * written.
     */
    int recover(UUID webhookId, Instant since) {
        int recovered = this.jdbc.sql("""
                UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()
                WHERE webhook_id = ? AND state = 'dead' AND completed_at >= ?""")
            .params(webhookId, since.atOffset(ZoneOffset.UTC))
            .update();
        if (recovered > 0) {
            notifyNotifier();
        }
        return recovered;
    }

    private void notifyNotifier() {
        this.jdbc.sql("SELECT pg_notify('" + Channels.DELIVERIES + "', '')").query().listOfRows();
    }

    private Map<UUID, List<AttemptResponse>> attemptsOf(List<DeliveryResponse> deliveries) {
        Map<UUID, List<AttemptResponse>> attempts = new LinkedHashMap<>();
        if (deliveries.isEmpty()) {
            return attempts;
        }
        UUID[] ids = deliveries.stream().map(DeliveryResponse::id).toArray(UUID[]::new);
        this.jdbc.sql("""
                SELECT delivery_id, attempt, at, status_code, latency_ms, error, response_body
                FROM webhook_delivery_attempts
                WHERE delivery_id = ANY(?) ORDER BY delivery_id, attempt""").param(ids).query((ResultSet rs) -> {
            attempts.computeIfAbsent(rs.getObject("delivery_id", UUID.class), id -> new ArrayList<>())
                .add(new AttemptResponse(rs.getInt("attempt"), instant(rs, "at"),
                        rs.getObject("status_code", Integer.class), rs.getInt("latency_ms"), rs.getString("error"),
                        rs.getString("response_body")));
        });
        return attempts;
    }

    private DeliveryResponse delivery(ResultSet rs, int row) throws SQLException {
        return new DeliveryResponse(rs.getObject("id", UUID.class), rs.getObject("webhook_id", UUID.class),
                rs.getObject("event_id", UUID.class), rs.getString("event_type"), rs.getString("sensor_id"),
                rs.getObject("sequence", Long.class), rs.getString("state"), rs.getInt("attempt_count"),
                instant(rs, "next_attempt_at"), instant(rs, "created_at"), instant(rs, "completed_at"),
                this.json.readTree(rs.getString("payload")), List.of());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * A delivery's place in the listing's order, as its cursor holds it: microseconds
     * since the epoch of its creation, and its id.
     */
    record DeliveryKey(Instant createdAt, UUID id) {

        static DeliveryKey parse(String key) {
            int colon = key.indexOf(':');
            if (colon < 0) {
                throw Cursors.invalid();
            }
            try {
                return new DeliveryKey(Instant.EPOCH.plus(Long.parseLong(key.substring(0, colon)), ChronoUnit.MICROS),
                        UUID.fromString(key.substring(colon + 1)));
            }
            catch (RuntimeException ex) {
                throw Cursors.invalid();
            }
        }

        @Override
        public String toString() {
            return ChronoUnit.MICROS.between(Instant.EPOCH, this.createdAt) + ":" + this.id;
        }

    }

}
