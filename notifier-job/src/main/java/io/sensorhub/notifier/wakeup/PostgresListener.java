package io.sensorhub.notifier.wakeup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import io.sensorhub.common.state.StatusChangeRecorder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * {@code LISTEN}s on a dedicated connection (outside the pool, which would recycle it) for
 * {@value StatusChangeRecorder#CHANNEL} and {@value #DELIVERIES_CHANNEL}, and raises the {@link Wakeup}.
 * A broken connection is re-opened with backoff; after each (re)connect the loop is woken once, since
 * notifications sent while disconnected are lost (the polling fallback would catch them later anyway).
 */
public class PostgresListener implements SmartLifecycle {

    /** The channel crud-service notifies when it creates or revives deliveries. */
    public static final String DELIVERIES_CHANNEL = "sensorhub_deliveries";

    private static final Logger log = LoggerFactory.getLogger(PostgresListener.class);

    private static final int POLL_MILLIS = 500;

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String url;

    private final Properties credentials;

    private final Wakeup wakeup;

    private volatile boolean running;

    private volatile boolean connected;

    private Thread thread;

    public PostgresListener(String url, String user, String password, Wakeup wakeup) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            this.credentials.setProperty("user", user);
        }
        if (password != null) {
            this.credentials.setProperty("password", password);
        }
        this.credentials.setProperty("ApplicationName", "notifier-job listener");
        this.credentials.setProperty("tcpKeepAlive", "true");
        this.wakeup = wakeup;
    }

    /** Whether the LISTEN connection is up. */
    public boolean connected() {
        return this.connected;
    }

    @Override
    public void start() {
        this.running = true;
        this.thread = new Thread(this::run, "pg-listener");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void stop() {
        this.running = false;
        if (this.thread != null) {
            this.thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (this.running) {
            try (Connection connection = DriverManager.getConnection(this.url, this.credentials)) {
                listen(connection);
                backoff = Duration.ofMillis(100);
                receive(connection.unwrap(PGConnection.class));
            }
            catch (SQLException ex) {
                if (this.running) {
                    log.warn("LISTEN connection lost ({}); reconnecting in {} ms", ex.getMessage(), backoff.toMillis());
                }
            }
            finally {
                this.connected = false;
            }
            sleep(backoff);
            backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + StatusChangeRecorder.CHANNEL);
            statement.execute("LISTEN " + DELIVERIES_CHANNEL);
        }
        this.connected = true;
        this.wakeup.statusChanged();
        this.wakeup.deliveriesChanged();
    }

    private void receive(PGConnection connection) throws SQLException {
        while (this.running) {
            PGNotification[] notifications = connection.getNotifications(POLL_MILLIS);
            if (notifications == null) {
                continue;
            }
            for (PGNotification notification : notifications) {
                if (StatusChangeRecorder.CHANNEL.equals(notification.getName())) {
                    this.wakeup.statusChanged();
                }
                else {
                    this.wakeup.deliveriesChanged();
                }
            }
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }
}
