package io.sensorhub.consumer.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import io.sensorhub.common.test.TestServices;

/**
 * Test-data builder for registered sensors: inserts the client, sensor and
 * {@code sensor_state} rows directly, as crud-service would (this module never depends on
 * crud-service).
 */
public final class Sensors {

    private Double warnLow;

    private Double warnHigh;

    private Double critLow;

    private Double critHigh;

    private int heartbeatSeconds = 300;

    private double hysteresis;

    private int minDurationSeconds;

    private Sensors() {
    }

    /** A sensor with no thresholds. */
    public static Sensors sensor() {
        return new Sensors();
    }

    /**
     * A sensor that is OK between 20 and 80 exclusive, WARNING up to 10/90, CRITICAL
     * beyond (inclusive).
     */
    public static Sensors withDefaultThresholds() {
        return new Sensors().thresholds(20.0, 80.0, 10.0, 90.0);
    }

    public Sensors thresholds(Double warnLow, Double warnHigh, Double critLow, Double critHigh) {
        this.warnLow = warnLow;
        this.warnHigh = warnHigh;
        this.critLow = critLow;
        this.critHigh = critHigh;
        return this;
    }

    /** The silence after which the sensor goes OFFLINE (the schema's default is 300). */
    public Sensors heartbeat(int seconds) {
        this.heartbeatSeconds = seconds;
        return this;
    }

    /**
     * How far back inside a threshold a value must be to leave its status (default 0).
     */
    public Sensors hysteresis(double hysteresis) {
        this.hysteresis = hysteresis;
        return this;
    }

    /** How long readings must indicate a new status before it is current (default 0). */
    public Sensors minDurationSeconds(int seconds) {
        this.minDurationSeconds = seconds;
        return this;
    }

    /**
     * Registers sensors with these ids (each with its own client) in this run's database.
     */
    public void register(String... ids) {
        try (Connection connection = TestServices.get().openConnection()) {
            for (String id : ids) {
                insert(connection, id);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Registers one sensor with a fresh unique id and answers it. */
    public String create(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
        register(id);
        return id;
    }

    private void insert(Connection connection, String id) throws SQLException {
        UUID client = UUID.randomUUID();
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        try (PreparedStatement clients = connection
            .prepareStatement("INSERT INTO clients (id, name, token_hash) VALUES (?, 'c', ?)");
                PreparedStatement sensors = connection.prepareStatement("""
                        INSERT INTO sensors (id, client_id, name, warn_low, warn_high, crit_low, crit_high,
                                             heartbeat_seconds, hysteresis, min_duration_seconds)
                        VALUES (?, ?, 's', ?, ?, ?, ?, ?, ?, ?)""");
                PreparedStatement state = connection
                    .prepareStatement("INSERT INTO sensor_state (sensor_id) VALUES (?)")) {
            clients.setObject(1, client);
            clients.setBytes(2, hash);
            clients.executeUpdate();
            sensors.setString(1, id);
            sensors.setObject(2, client);
            sensors.setObject(3, this.warnLow);
            sensors.setObject(4, this.warnHigh);
            sensors.setObject(5, this.critLow);
            sensors.setObject(6, this.critHigh);
            sensors.setInt(7, this.heartbeatSeconds);
            sensors.setDouble(8, this.hysteresis);
            sensors.setInt(9, this.minDurationSeconds);
            sensors.executeUpdate();
            state.setString(1, id);
            state.executeUpdate();
        }
    }

}
