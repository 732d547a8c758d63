package io.sensorhub.crud.sensors;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.sensorhub.common.status.Thresholds;
import io.sensorhub.crud.sensors.SensorDtos.PendingResponse;
import io.sensorhub.crud.sensors.SensorDtos.SensorResponse;
import io.sensorhub.crud.sensors.SensorDtos.StateResponse;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The read side of sensors, in plain SQL: {@code GET /sensors/{id}} is the hottest
 * endpoint, and the list filters on the state table. Lists walk the
 * {@code (client_id, id)} or {@code (client_id, type, id)} index with a keyset cursor.
 */
@Component
class SensorQueries {

    private static final String SELECT = """
            SELECT s.id, s.name, s.type, s.unit, s.warn_low, s.warn_high, s.crit_low, s.crit_high,
                   s.heartbeat_seconds, s.hysteresis, s.min_duration_seconds, s.version, s.created_at, s.updated_at,
                   st.status, st.value, st.reported_at, st.since, st.sequence, st.pending_status, st.pending_since,
                   a.sequence AS ack_sequence, a.at AS ack_at, a.comment AS ack_comment
            FROM sensors s LEFT JOIN sensor_state st ON st.sensor_id = s.id
            LEFT JOIN sensor_acknowledgements a ON a.sensor_id = s.id
            """;

    /**
     * The settings with the latest acknowledgement (which holds while its sequence is the
     * state's).
     */
    private static final String SELECT_SETTINGS = """
            SELECT s.id, s.client_id, s.name, s.type, s.unit, s.warn_low, s.warn_high, s.crit_low, s.crit_high,
                   s.heartbeat_seconds, s.hysteresis, s.min_duration_seconds, s.version, s.created_at, s.updated_at,
                   NULL AS status, NULL AS value, NULL AS reported_at, NULL AS since, 0 AS sequence,
                   NULL AS pending_status, NULL AS pending_since,
                   a.sequence AS ack_sequence, a.at AS ack_at, a.comment AS ack_comment
            FROM sensors s LEFT JOIN sensor_acknowledgements a ON a.sensor_id = s.id WHERE s.id = ?""";

    private final JdbcClient jdbc;

    SensorQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The sensor with its state as PostgreSQL has it (for answers to writes, read in
     * their transaction).
     */
    Optional<SensorResponse> find(String id, UUID clientId) {
        return this.jdbc.sql(SELECT + " WHERE s.id = ? AND s.client_id = ?")
            .params(id, clientId)
            .query(SensorQueries::sensor)
            .optional();
    }

    /**
     * The sensor without its state (which the caller reads from the cache), with its
     * owner: one primary-key probe.
     */
    Optional<SensorSettingsCache.Owned> findSettings(String id) {
        return this.jdbc.sql(SELECT_SETTINGS)
            .param(id)
            .query((rs, row) -> new SensorSettingsCache.Owned(rs.getObject("client_id", UUID.class), sensor(rs, row),
                    acknowledgement(rs)))
            .optional();
    }

    Page<SensorResponse> list(UUID clientId, String type, String status, PageQuery page) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE s.client_id = :client");
        if (type != null) {
            sql.append(" AND s.type = :type");
        }
        if (status != null) {
            sql.append(" AND COALESCE(st.status, 'UNKNOWN') = :status");
        }
        if (page.after() != null) {
            sql.append(" AND s.id > :after");
        }
        sql.append(" ORDER BY s.id LIMIT :limit");
        JdbcClient.StatementSpec statement = this.jdbc.sql(sql.toString())
            .param("client", clientId)
            .param("limit", page.fetchSize());
        statement = (type != null) ? statement.param("type", type) : statement;
        statement = (status != null) ? statement.param("status", status) : statement;
        statement = (page.after() != null) ? statement.param("after", page.after()) : statement;
        List<SensorResponse> rows = statement.query(SensorQueries::sensor).list();
        return Page.of(rows, page.limit(), SensorResponse::id);
    }

    private static SensorResponse sensor(ResultSet rs, int row) throws SQLException {
        Thresholds thresholds = new Thresholds(rs.getObject("warn_low", Double.class),
                rs.getObject("warn_high", Double.class), rs.getObject("crit_low", Double.class),
                rs.getObject("crit_high", Double.class));
        return new SensorResponse(rs.getString("id"), rs.getString("name"), rs.getString("type"), rs.getString("unit"),
                thresholds, rs.getInt("heartbeat_seconds"), rs.getDouble("hysteresis"),
                rs.getInt("min_duration_seconds"), rs.getLong("version"), instant(rs, "created_at"),
                instant(rs, "updated_at"), state(rs));
    }

    static StateResponse state(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        if (status == null) {
            return new StateResponse("UNKNOWN", null, null, null, 0, null, null);
        }
        String pending = rs.getString("pending_status");
        long sequence = rs.getLong("sequence");
        return new StateResponse(status, rs.getObject("value", Double.class), instant(rs, "reported_at"),
                instant(rs, "since"), sequence,
                (pending != null) ? new PendingResponse(pending, instant(rs, "pending_since")) : null,
                Acknowledgement.of(acknowledgement(rs), sequence));
    }

    private static Acknowledgement acknowledgement(ResultSet rs) throws SQLException {
        long sequence = rs.getLong("ack_sequence");
        return rs.wasNull() ? null : new Acknowledgement(sequence, instant(rs, "ack_at"), rs.getString("ack_comment"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

}
