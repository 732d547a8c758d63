package io.sensorhub.crud.auth;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps every instance's {@link TokenCache} honest. A token change ({@link #tokenChanged}) evicts the client's
 * entries here, before and after its transaction commits, and sends a {@code NOTIFY} on {@value #CHANNEL} that
 * every instance (this one included) LISTENs to on a connection of its own. While that connection is down the
 * cache is off, so no instance trusts a token it could not hear about.
 */
@Component
public class TokenInvalidations implements SmartLifecycle {

    static final String CHANNEL = "sensorhub_tokens";

    private static final Logger log = LoggerFactory.getLogger(TokenInvalidations.class);

    private static final int POLL_MILLIS = 1000;

    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);

    private static final Duration VALIDATE_EVERY = Duration.ofSeconds(10);

    private final TokenCache cache;

    private final JdbcClient jdbc;

    private final DataSourceProperties dataSource;

    private volatile boolean running;

    private Thread listener;

    TokenInvalidations(TokenCache cache, JdbcClient jdbc, DataSourceProperties dataSource) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** A client's token was replaced or the client deleted: call inside the transaction that does it. */
    public void tokenChanged(UUID clientId) {
        this.cache.invalidate(clientId);
        this.jdbc.sql("SELECT pg_notify('" + CHANNEL + "', ?)").param(clientId.toString()).query().listOfRows();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TokenInvalidations.this.cache.invalidate(clientId);
                }
            });
        }
    }

    @Override
    public void start() {
        this.running = true;
        this.listener = new Thread(this::listen, "token-invalidations");
        this.listener.setDaemon(true);
        this.listener.start();
    }

    @Override
    public void stop() {
        this.running = false;
        this.cache.setEnabled(false);
        if (this.listener != null) {
            this.listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private void listen() {
        while (this.running) {
            try (Connection connection = connect()) {
                receive(connection);
            }
            catch (SQLException | RuntimeException ex) {
                this.cache.setEnabled(false);
                if (this.running) {
                    log.warn("Token invalidations not received ({}); token cache off until reconnected", ex.getMessage());
                }
            }
            pause();
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(this.dataSource.determineUrl(),
                this.dataSource.determineUsername(), this.dataSource.determinePassword());
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        return connection;
    }

    private void receive(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        this.cache.invalidateAll();
        this.cache.setEnabled(true);
        long validatedAt = System.nanoTime();
        while (this.running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    invalidate(notification.getParameter());
                }
            }
            if (System.nanoTime() - validatedAt > VALIDATE_EVERY.toNanos()) {
                if (!connection.isValid(2)) {
                    throw new SQLException("listen connection is no longer valid");
                }
                validatedAt = System.nanoTime();
            }
        }
    }

    private void invalidate(String clientId) {
        try {
            this.cache.invalidate(UUID.fromString(clientId));
        }
        catch (IllegalArgumentException ex) {
            this.cache.invalidateAll();
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
