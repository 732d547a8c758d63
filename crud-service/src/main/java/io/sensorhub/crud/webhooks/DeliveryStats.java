package io.sensorhub.crud.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.sensorhub.crud.webhooks.DeliveryDtos.Latency;
import io.sensorhub.crud.webhooks.DeliveryDtos.StatsResponse;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A webhook's stats in one statement, each part bounded by an index rather than the
 * webhook's history: its pending and dead deliveries are counted in their ranges of
 * {@code webhook_deliveries_webhook_state_created_idx}; the last hour's attempts are read
 * from the hour's ranges of {@code webhook_delivery_attempts_succeeded_idx} and
 * {@code _failed_idx} (index only: they include the latency); the last success and the
 * last failure are the newest entry of each ({@code ORDER BY at DESC LIMIT 1}, not
 * {@code max(at)}: a planner that believes an index small may aggregate all of it for a
 * {@code max}). An attempt is a success when its status code is 2xx, as notifier-job
 * decides it; the partial indexes' predicates (migration V73) are written as here, so
 * that the planner can use them.
 */
@Component
class DeliveryStats {

    static final String STATS = """
            SELECT (SELECT count(*) FROM webhook_deliveries WHERE webhook_id = :webhook AND state = 'pending')
                       AS pending,
                   (SELECT count(*) FROM webhook_deliveries WHERE webhook_id = :webhook AND state = 'dead') AS dead,
                   hour.succeeded, hour.failed, hour.p50, hour.p99,
                   (SELECT at FROM webhook_delivery_attempts
                    WHERE webhook_id = :webhook AND status_code BETWEEN 200 AND 299
                    ORDER BY at DESC LIMIT 1) AS last_success_at,
                   failure.at AS last_failure_at, failure.error AS last_error
            FROM (SELECT count(*) FILTER (WHERE a.ok) AS succeeded, count(*) FILTER (WHERE NOT a.ok) AS failed,
                         percentile_disc(0.5) WITHIN GROUP (ORDER BY a.latency_ms) AS p50,
                         percentile_disc(0.99) WITHIN GROUP (ORDER BY a.latency_ms) AS p99
                  FROM (SELECT true AS ok, latency_ms FROM webhook_delivery_attempts
                        WHERE webhook_id = :webhook AND at >= now() - interval '1 hour'
                          AND status_code BETWEEN 200 AND 299
                        UNION ALL
                        SELECT false, latency_ms FROM webhook_delivery_attempts
                        WHERE webhook_id = :webhook AND at >= now() - interval '1 hour'
                          AND (status_code BETWEEN 200 AND 299) IS NOT TRUE) a) hour
            LEFT JOIN LATERAL (SELECT at, error FROM webhook_delivery_attempts
                               WHERE webhook_id = :webhook AND (status_code BETWEEN 200 AND 299) IS NOT TRUE
                               ORDER BY at DESC LIMIT 1) failure ON true""";

    private final JdbcClient jdbc;

    DeliveryStats(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    StatsResponse of(UUID webhookId) {
        return this.jdbc.sql(STATS).param("webhook", webhookId).query(DeliveryStats::stats).single();
    }

    private static StatsResponse stats(ResultSet rs, int row) throws SQLException {
        return new StatsResponse(rs.getLong("pending"), rs.getLong("dead"), rs.getLong("succeeded"),
                rs.getLong("failed"),
                new Latency(rs.getObject("p50", Integer.class), rs.getObject("p99", Integer.class)),
                instant(rs, "last_success_at"), instant(rs, "last_failure_at"), rs.getString("last_error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

}
