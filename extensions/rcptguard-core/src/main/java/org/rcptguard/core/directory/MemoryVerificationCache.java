package org.rcptguard.core.directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.rcptguard.core.RecipientClass;

/** One node's verification cache: expiring entries, capped in number (at the cap, expired then oldest go first). */
public final class MemoryVerificationCache implements VerificationCache {
    private static final class Entry {
        final RecipientClass answer;
        final Instant expiresAt;

        Entry(RecipientClass answer, Instant expiresAt) {
            this.answer = answer;
            this.expiresAt = expiresAt;
        }
    }

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    public MemoryVerificationCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    @Override
    public synchronized Optional<RecipientClass> find(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt)) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.answer);
    }

    @Override
    public synchronized void save(String key, RecipientClass answer, Duration ttl) {
        if (answer == RecipientClass.UNDECIDED) {
            throw new IllegalArgumentException("an undecided answer is never cached");
        }
        Instant now = clock.instant();
        entries.remove(key);
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt));
            Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
            while (entries.size() >= maxEntries - Math.max(1, maxEntries / 10) && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        entries.put(key, new Entry(answer, now.plus(ttl)));
    }

    @Override
    public synchronized void forget(String key) {
        entries.remove(key);
    }

    public synchronized int size() {
        return entries.size();
    }
}
