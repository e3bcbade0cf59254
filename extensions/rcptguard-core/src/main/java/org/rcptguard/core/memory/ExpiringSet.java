package org.rcptguard.core.memory;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys each with its expiry, holding at most {@code maxSize} live keys: those expiring last. Every key of one set is
 * recorded with the same window, so expiries follow the order of recording: expired keys and, past the cap, the
 * soonest to expire are all at the eldest end, and each record costs O(1) (a scanner's set is updated at every
 * unknown recipient it names; copying it each time cost a tenth of James's CPU under a scan). A clock that steps back
 * only delays the removal of a key. Thread-safe.
 */
final class ExpiringSet<T> {
    private final LinkedHashMap<T, Instant> expiries = new LinkedHashMap<>();

    /** Records {@code key} until {@code expiresAt} (moving it to the youngest end) and returns the live count. */
    synchronized int record(T key, Instant expiresAt, Instant now, int maxSize) {
        expiries.remove(key);
        expiries.put(key, expiresAt);
        Iterator<Map.Entry<T, Instant>> eldest = expiries.entrySet().iterator();
        while (eldest.hasNext() && expiries.size() > maxSize) {
            eldest.next();
            eldest.remove();
        }
        return liveCount(now);
    }

    synchronized int liveCount(Instant now) {
        Iterator<Instant> eldest = expiries.values().iterator();
        while (eldest.hasNext() && !now.isBefore(eldest.next())) {
            eldest.remove();
        }
        return expiries.size();
    }
}
