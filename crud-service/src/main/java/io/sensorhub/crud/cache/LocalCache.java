package io.sensorhub.crud.cache;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A bounded map whose entries are trusted for a short time, and only while invalidations
 * can be heard ({@link #setEnabled}). Every invalidation bumps a generation; a database
 * read that started before it never caches its (possibly stale) answer.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class LocalCache<K, V> {

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    private final AtomicLong generation = new AtomicLong();

    private final long ttlNanos;

    private final int maxSize;

    private volatile boolean enabled;

    private record Entry<V>(V value, long expiresAt) {
    }

    public LocalCache(long ttlNanos, int maxSize) {
        this.ttlNanos = ttlNanos;
        this.maxSize = maxSize;
    }

    public Optional<V> get(K key, long now) {
        Entry<V> entry = this.entries.get(key);
        if (entry == null || now - entry.expiresAt() > 0) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /** The generation to pass to {@link #put} for a read starting now. */
    public long generation() {
        return this.generation.get();
    }

    /**
     * Caches a read's answer, unless the cache is off or something was invalidated since
     * the read began.
     */
    public void put(K key, V value, long generationAtRead, long now) {
        if (!this.enabled || this.ttlNanos <= 0 || this.maxSize <= 0 || this.generation.get() != generationAtRead) {
            return;
        }
        if (this.entries.size() >= this.maxSize) {
            this.entries.clear();
        }
        Entry<V> entry = new Entry<>(value, now + this.ttlNanos);
        this.entries.put(key, entry);
        if (this.generation.get() != generationAtRead) {
            this.entries.remove(key, entry);
        }
    }

    public void invalidate(K key) {
        this.generation.incrementAndGet();
        this.entries.remove(key);
    }

    public void invalidateIf(Predicate<V> stale) {
        this.generation.incrementAndGet();
        this.entries.values().removeIf(entry -> stale.test(entry.value()));
    }

    public void invalidateAll() {
        this.generation.incrementAndGet();
        this.entries.clear();
    }

    /**
     * Caches only while invalidations from other instances are being received; turning
     * off forgets everything.
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
        if (!enabled) {
            invalidateAll();
        }
    }

    public boolean isEnabled() {
        return this.enabled;
    }

    public int size() {
        return this.entries.size();
    }

}
