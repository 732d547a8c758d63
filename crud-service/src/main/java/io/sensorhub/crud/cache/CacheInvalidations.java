package io.sensorhub.crud.cache;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

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
 * Keeps every instance's {@link LocalCache}s honest. A change ({@link #publish}) is evicted here before and
 * after its transaction completes, and announced with a {@code NOTIFY} on {@value #CHANNEL} that every instance
 * (this one included) LISTENs to on a connection of its own. While that connection is down, the caches are
 * off, so no instance trusts an entry it could not hear about.
 */
@Component
public class CacheInvalidations implements SmartLifecycle {

    static final String CHANNEL = "sensorhub_crud_cache";

    private static final Logger log = LoggerFactory.getLogger(CacheInvalidations.class);

    private static final int POLL_MILLIS = 1000;

    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);

    private static final Duration VALIDATE_EVERY = Duration.ofSeconds(10);

    private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();

    private final Map<String, LocalCache<?, ?>> caches = new ConcurrentHashMap<>();

    private final JdbcClient jdbc;

    private final DataSourceProperties dataSource;

    private volatile boolean running;

    private Thread listener;

    CacheInvalidations(JdbcClient jdbc, DataSourceProperties dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Registers a cache and how a change of the given kind evicts from it. */
    public void register(String kind, LocalCache<?, ?> cache, Consumer<String> invalidate) {
        this.caches.put(kind, cache);
        this.handlers.put(kind, invalidate);
    }

    /** Something of this kind changed: call inside the transaction that changes it. */
    public void publish(String kind, String key) {
        Consumer<String> handler = this.handlers.get(kind);
        handler.accept(key);
        this.jdbc.sql("SELECT pg_notify('" + CHANNEL + "', ?)").param(kind + ":" + key).query().listOfRows();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    handler.accept(key);
                }
            });
        }
    }

    @Override
    public void start() {
        this.running = true;
        this.listener = new Thread(this::listen, "cache-invalidations");
        this.listener.setDaemon(true);
        this.listener.start();
    }

    @Override
    public void stop() {
        this.running = false;
        enableAll(false);
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
                enableAll(false);
                if (this.running) {
                    log.warn("Cache invalidations not received ({}); caches off until reconnected", ex.getMessage());
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
        enableAll(true);
        long validatedAt = System.nanoTime();
        while (this.running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    dispatch(notification.getParameter());
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

    private void dispatch(String payload) {
        int colon = payload.indexOf(':');
        Consumer<String> handler = (colon > 0) ? this.handlers.get(payload.substring(0, colon)) : null;
        if (handler == null) {
            this.caches.values().forEach(LocalCache::invalidateAll);
            return;
        }
        try {
            handler.accept(payload.substring(colon + 1));
        }
        catch (RuntimeException ex) {
            this.caches.get(payload.substring(0, colon)).invalidateAll();
        }
    }

    private void enableAll(boolean enabled) {
        // Forget everything first: entries cached before listening (or while deaf) may be stale.
        this.caches.values().forEach(LocalCache::invalidateAll);
        this.caches.values().forEach(cache -> cache.setEnabled(enabled));
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
