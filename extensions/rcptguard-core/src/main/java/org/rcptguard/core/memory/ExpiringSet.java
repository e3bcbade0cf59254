package org.rcptguard.core.memory;

import java.time.Instant;
import java.util.Arrays;

/**
 * Keys each with its expiry, holding at most {@code maxSize} live keys: those expiring last. Every key of one set is
 * recorded with the same window, so expiries follow the order of recording: expired keys and, past the cap, the
 * soonest to expire are all at the eldest end. A record changes the set in place (a scanner's set is updated at
 * every unknown recipient it names; copying it each time cost a tenth of James's CPU under a scan), in two arrays
 * rather than a map: most sets hold one key, and a map's table and entries would cost half as much again per entry
 * of the store ({@code bin/measure-memory}). A set holds at most {@code maxSize} keys (scan threshold + 64), so a
 * linear search stays cheap. A clock that steps back only delays the removal of a key. Thread-safe.
 */
final class ExpiringSet<T> {
    private Object[] keys = new Object[2];
    /** Epoch milliseconds, in the order of recording. */
    private long[] expiries = new long[2];
    private int size;

    /** Records {@code key} until {@code expiresAt} (moving it to the youngest end) and returns the live count. */
    synchronized int record(T key, Instant expiresAt, Instant now, int maxSize) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                remove(i, 1);
                break;
            }
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            expiries = Arrays.copyOf(expiries, size * 2);
        }
        keys[size] = key;
        expiries[size] = expiresAt.toEpochMilli();
        size++;
        if (size > maxSize) {
            remove(0, size - maxSize);
        }
        return liveCount(now);
    }

    synchronized int liveCount(Instant now) {
        long millis = now.toEpochMilli();
        int expired = 0;
        while (expired < size && expiries[expired] <= millis) {
            expired++;
        }
        remove(0, expired);
        return size;
    }

    private void remove(int from, int count) {
        if (count == 0) {
            return;
        }
        System.arraycopy(keys, from + count, keys, from, size - from - count);
        System.arraycopy(expiries, from + count, expiries, from, size - from - count);
        Arrays.fill(keys, size - count, size, null);
        size -= count;
    }
}
