package org.rcptguard.core.memory;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/** An immutable set of keys each with its expiry, holding at most {@code maxSize} live keys: those expiring last. */
final class ExpiringSet<T> {
    private final Map<T, Instant> expiries;

    private ExpiringSet(Map<T, Instant> expiries) {
        this.expiries = Map.copyOf(expiries);
    }

    static <T> ExpiringSet<T> empty() {
        return new ExpiringSet<>(Map.of());
    }

    ExpiringSet<T> with(T key, Instant expiresAt, Instant now, int maxSize) {
        Map<T, Instant> live = new HashMap<>();
        expiries.forEach((existing, expiry) -> {
            if (now.isBefore(expiry)) {
                live.put(existing, expiry);
            }
        });
        live.put(key, expiresAt);
        while (live.size() > maxSize) {
            live.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .ifPresent(soonest -> live.remove(soonest.getKey()));
        }
        return new ExpiringSet<>(live);
    }

    int liveCount(Instant now) {
        return (int) expiries.values().stream().filter(now::isBefore).count();
    }
}
