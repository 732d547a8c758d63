package io.sensorhub.crud.auth;

import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client tokens recently found in the database, by hash. An entry is trusted for a short time, and only while
 * invalidations can be heard ({@link #setEnabled}). Every invalidation bumps a generation; a lookup that
 * started before it never caches its (possibly stale) answer, so a rotated token is never cached again.
 */
final class TokenCache {

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private final AtomicLong generation = new AtomicLong();

    private final long ttlNanos;

    private final int maxSize;

    private volatile boolean enabled;

    private record Entry(UUID clientId, long expiresAt) {
    }

    TokenCache(long ttlNanos, int maxSize) {
        this.ttlNanos = ttlNanos;
        this.maxSize = maxSize;
    }

    Optional<UUID> get(byte[] hash, long now) {
        Entry entry = this.entries.get(key(hash));
        if (entry == null || now - entry.expiresAt() > 0) {
            return Optional.empty();
        }
        return Optional.of(entry.clientId());
    }

    /** The generation to pass to {@link #put} for a lookup starting now. */
    long generation() {
        return this.generation.get();
    }

    /** Caches a lookup's answer, unless the cache is off or an invalidation happened since the lookup began. */
    void put(byte[] hash, UUID clientId, long generationAtLookup, long now) {
        if (!this.enabled || this.ttlNanos <= 0 || this.generation.get() != generationAtLookup) {
            return;
        }
        if (this.entries.size() >= this.maxSize) {
            this.entries.clear();
        }
        String key = key(hash);
        Entry entry = new Entry(clientId, now + this.ttlNanos);
        this.entries.put(key, entry);
        if (this.generation.get() != generationAtLookup) {
            this.entries.remove(key, entry);
        }
    }

    void invalidate(UUID clientId) {
        this.generation.incrementAndGet();
        this.entries.values().removeIf(entry -> entry.clientId().equals(clientId));
    }

    void invalidateAll() {
        this.generation.incrementAndGet();
        this.entries.clear();
    }

    /** Turns caching on only while invalidations from other instances are being received. */
    void setEnabled(boolean enabled) {
        this.enabled = enabled;
        if (!enabled) {
            invalidateAll();
        }
    }

    int size() {
        return this.entries.size();
    }

    private static String key(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
