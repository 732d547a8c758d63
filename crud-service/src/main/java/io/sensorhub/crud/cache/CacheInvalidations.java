package io.sensorhub.crud.cache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.sensorhub.common.concurrent.AfterCommit;
import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.notify.PostgresNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps every instance's {@link LocalCache}s honest. A change ({@link #publish}) is
 * evicted here before and after its transaction completes, and announced with a
 * {@code NOTIFY} on {@value Channels#CRUD_CACHE} that every instance (this one included)
 * LISTENs to on a connection of its own ({@link PostgresNotifications}). While that
 * connection is down, the caches are off, so no instance trusts an entry it could not
 * hear about.
 */
@Component
public class CacheInvalidations implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CacheInvalidations.class);

    private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();

    private final Map<String, LocalCache<?, ?>> caches = new ConcurrentHashMap<>();

    private final JdbcClient jdbc;

    private final PostgresNotifications notifications;

    CacheInvalidations(JdbcClient jdbc, DataSourceProperties dataSource) {
        this.jdbc = jdbc;
        this.notifications = new PostgresNotifications(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword(), "crud-service cache invalidations", "cache-invalidations",
                List.of(Channels.CRUD_CACHE), new PostgresNotifications.Callbacks(() -> enableAll(true),
                        (channel, payload) -> dispatch(payload), this::lost));
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
        this.jdbc.sql("SELECT pg_notify(?, ?)").params(Channels.CRUD_CACHE, kind + ":" + key).query().listOfRows();
        // Again once the transaction ends: a read in the meantime may have cached the
        // old value.
        AfterCommit.runAfterCompletion(() -> handler.accept(key));
    }

    @Override
    public void start() {
        this.notifications.start();
    }

    @Override
    public void stop() {
        this.notifications.stop();
        enableAll(false);
    }

    @Override
    public boolean isRunning() {
        return this.notifications.isRunning();
    }

    private void lost() {
        enableAll(false);
        if (this.notifications.isRunning()) {
            log.warn("Cache invalidations not received; caches off until reconnected");
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
        // Forget everything first: entries cached before listening (or while deaf) may be
        // stale.
        this.caches.values().forEach(LocalCache::invalidateAll);
        this.caches.values().forEach(cache -> cache.setEnabled(enabled));
    }

}
