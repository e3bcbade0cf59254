package org.rcptguard.core.memory;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A map whose entries expire and whose size is capped, so that a scan from a million addresses cannot exhaust the
 * heap. At the cap, expired entries are evicted first; then, while more than nine tenths of the cap remain, the
 * entries written longest ago, so that eviction runs once per tenth of the cap and stays cheap under a flood.
 * Thread-safe; each operation holds the map's lock briefly.
 */
final class BoundedExpiringMap<K, V> {
    private static final class Entry<V> {
        final V value;
        final Instant expiresAt;

        Entry(V value, Instant expiresAt) {
            this.value = value;
            this.expiresAt = expiresAt;
        }
    }

    private final int maxEntries;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();

    BoundedExpiringMap(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    synchronized Optional<V> get(K key, Instant now) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!now.isBefore(entry.expiresAt)) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.value);
    }

    synchronized void put(K key, V value, Instant expiresAt, Instant now) {
        // Re-inserting moves the key to the young end: eviction takes the entries written longest ago.
        entries.remove(key);
        if (entries.size() >= maxEntries) {
            evict(now);
        }
        entries.put(key, new Entry<>(value, expiresAt));
    }

    /** Replaces the live value of {@code key} (absent or expired: {@code null}) by {@code update}'s answer. */
    synchronized V update(K key, UnaryOperator<V> update, Instant expiresAt, Instant now) {
        V updated = update.apply(get(key, now).orElse(null));
        put(key, updated, expiresAt, now);
        return updated;
    }

    synchronized void remove(K key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }

    private void evict(Instant now) {
        entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt));
        int target = maxEntries - Math.max(1, maxEntries / 10);
        Iterator<Map.Entry<K, Entry<V>>> oldest = entries.entrySet().iterator();
        while (entries.size() > target && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
