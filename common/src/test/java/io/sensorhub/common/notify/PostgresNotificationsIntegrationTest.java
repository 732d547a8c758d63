package io.sensorhub.common.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The LISTEN loop against real PostgreSQL: delivery, and reconnecting after its
 * connection is killed.
 */
class PostgresNotificationsIntegrationTest {

    private static final String APPLICATION_NAME = "notifications test";

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestServices services = TestServices.get();

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private PostgresNotifications notifications;

    @BeforeEach
    void start() {
        this.notifications = new PostgresNotifications(this.services.jdbcUrl(), this.services.jdbcUser(),
                this.services.jdbcPassword(), APPLICATION_NAME, "notifications-test",
                List.of("test_first", "test_second"),
                new PostgresNotifications.Callbacks(() -> this.events.add("connected"),
                        (channel, payload) -> this.events.add(channel + ":" + payload),
                        () -> this.events.add("disconnected")));
        this.notifications.start();
    }

    @AfterEach
    void stop() {
        this.notifications.stop();
    }

    @Test
    void aNotificationIsDeliveredWithItsChannelAndPayload() throws Exception {
        assertThat(next()).isEqualTo("connected");
        assertThat(this.notifications.connected()).isTrue();

        notify("test_second", "hello");
        notify("test_first", "");

        assertThat(next()).isEqualTo("test_second:hello");
        assertThat(next()).isEqualTo("test_first:");
    }

    @Test
    void aTerminatedConnectionIsReopenedByItselfAndHearsLaterNotifications() throws Exception {
        assertThat(next()).isEqualTo("connected");

        assertThat(terminateListener()).isEqualTo(1);

        assertThat(next()).isEqualTo("disconnected");
        assertThat(next()).isEqualTo("connected");
        assertThat(this.notifications.connected()).isTrue();
        notify("test_first", "after");
        assertThat(next()).isEqualTo("test_first:after");
    }

    @Test
    void stoppingEndsTheConnection() throws Exception {
        assertThat(next()).isEqualTo("connected");

        this.notifications.stop();

        assertThat(next()).isEqualTo("disconnected");
        assertThat(this.notifications.connected()).isFalse();
        assertThat(this.notifications.isRunning()).isFalse();
    }

    @Test
    void aStartRightAfterAStopLeavesOneListener() throws Exception {
        assertThat(next()).isEqualTo("connected");

        this.notifications.stop();
        this.notifications.start();

        assertThat(next()).isEqualTo("disconnected");
        assertThat(next()).isEqualTo("connected");
        notify("test_first", "once");
        assertThat(next()).isEqualTo("test_first:once");
        assertThat(this.events.poll(1, TimeUnit.SECONDS)).as("no second listener reports anything").isNull();
        assertThat(listenerConnections()).isEqualTo(1);
    }

    @Test
    void channelsMustBePlainIdentifiers() {
        PostgresNotifications.Callbacks none = new PostgresNotifications.Callbacks(() -> {
        }, (channel, payload) -> {
        }, () -> {
        });
        assertThatIllegalArgumentException().isThrownBy(() -> new PostgresNotifications("jdbc:postgresql:x", null, null,
                APPLICATION_NAME, "unused", List.of("x; DROP TABLE y"), none));
        assertThatIllegalArgumentException().isThrownBy(() -> new PostgresNotifications("jdbc:postgresql:x", null, null,
                APPLICATION_NAME, "unused", List.of(), none));
    }

    private String next() throws InterruptedException {
        String event = this.events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an event within %s", WAIT).isNotNull();
        return event;
    }

    private void notify(String channel, String payload) throws SQLException {
        try (Connection connection = this.services.openConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, channel);
            statement.setString(2, payload);
            statement.executeQuery().close();
        }
    }

    private int listenerConnections() throws SQLException {
        try (Connection connection = this.services.openConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND application_name = ?""")) {
            statement.setString(1, APPLICATION_NAME);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private int terminateListener() throws SQLException {
        try (Connection connection = this.services.openConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE datname = current_database() AND application_name = ?""")) {
            statement.setString(1, APPLICATION_NAME);
            int terminated = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    terminated += rows.getBoolean(1) ? 1 : 0;
                }
            }
            return terminated;
        }
    }

}
