package io.sensorhub.consumer.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.test.TestServices;

/**
 * What is stored in this run's database, read with plain JDBC (usable without a Spring
 * context).
 */
public final class Database {

    private Database() {
    }

    public static long count(String sql, Object... parameters) {
        return query(sql, parameters).stream().mapToLong(row -> Long.parseLong(row)).sum();
    }

    /** The readings stored of a sensor. */
    public static long readings(String sensor) {
        return count("SELECT count(*) FROM readings WHERE sensor_id = ?", sensor);
    }

    /** The status changes of a sensor waiting in the outbox for notifier-job. */
    public static long outbox(String sensor) {
        return count("SELECT count(*) FROM status_change_outbox WHERE sensor_id = ?", sensor);
    }

    /**
     * The status changes of a sensor in sequence order, as "sequence:previous->status".
     */
    public static List<String> transitions(String sensor) {
        return query("SELECT sequence || ':' || previous_status || '->' || status FROM status_changes "
                + "WHERE sensor_id = ? ORDER BY sequence", sensor);
    }

    /**
     * The status changes of a sensor in sequence order, as
     * "sequence:previous->status@reportedAt".
     */
    public static List<String> changes(String sensor) {
        return query("SELECT sequence || ':' || previous_status || '->' || status || '@' || reported_at::text "
                + "FROM status_changes WHERE sensor_id = ? ORDER BY sequence", sensor);
    }

    /**
     * The status changes of a sensor in sequence order, as
     * "sequence:previous->status@reportedAtEpochMillis" ({@link #change}).
     */
    public static List<String> changesAtEpochMillis(String sensor) {
        return query("SELECT sequence || ':' || previous_status || '->' || status || '@' || "
                + "(extract(epoch FROM reported_at) * 1000)::bigint FROM status_changes WHERE sensor_id = ? "
                + "ORDER BY sequence", sensor);
    }

    /** A change as {@link #changesAtEpochMillis} shows it. */
    public static String change(int sequence, Object previous, Object status, Instant reportedAt) {
        return sequence + ":" + previous + "->" + status + "@" + reportedAt.toEpochMilli();
    }

    /** Runs a statement that answers no rows (DDL, test fixtures). */
    public static void execute(String sql) {
        try (Connection connection = TestServices.get().openConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Each row's first column as text. */
    public static List<String> query(String sql, Object... parameters) {
        try (Connection connection = TestServices.get().openConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
