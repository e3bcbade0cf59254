package org.rcptguard.cassandra;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.rcptguard.core.Triplet;

import com.google.common.hash.Hashing;

/**
 * Every triplet the greylist may hold, as a Bloom filter: "absent" is certain, "present" may be wrong (then the
 * record is read, as without a filter). Entries are kept by the day their record expires, and a day's entries are
 * dropped once it is over: the filter forgets a triplet no earlier than Cassandra does. Each day grows by filters
 * of four times the capacity of the last (a scalable Bloom filter), so a quiet day costs ten kilobytes and a
 * first-contact wave about {@value #BITS_PER_ENTRY} bits per triplet. Each filter sets and tests its bits within one
 * 64-bit word (a blocked Bloom filter: one memory access per look-up and filter); false positives stay under 1 %.
 */
final class TripletFilter {
    static final int BITS_PER_ENTRY = 20;
    static final int FIRST_CAPACITY = 4_096;
    static final int MAX_CAPACITY = 1 << 22;
    private static final int GROWTH = 4;
    private static final int BITS_SET = 6;

    private final Map<Long, Day> days = new ConcurrentHashMap<>();

    /** The triplet's 64-bit hash, the same on every node: the filter and the feed between nodes speak of these. */
    static long hash(Triplet triplet) {
        return hash(triplet.client().storedKey(), triplet.sender(), triplet.recipient());
    }

    /** As {@link #hash(Triplet)}, from a greylist row's key. */
    static long hash(String network, String sender, String recipient) {
        return Hashing.murmur3_128().newHasher()
            .putString(network, StandardCharsets.UTF_8).putByte((byte) 0)
            .putString(sender, StandardCharsets.UTF_8).putByte((byte) 0)
            .putString(recipient, StandardCharsets.UTF_8)
            .hash().asLong();
    }

    /** Adds a triplet whose record expires on {@code expiryDay} (days since the epoch, UTC). */
    void add(long hash, long expiryDay) {
        days.computeIfAbsent(expiryDay, day -> new Day()).add(hash);
    }

    /** Whether a triplet may be in the greylist on {@code today}; {@code false} is certain. */
    boolean mightContain(long hash, long today) {
        for (Map.Entry<Long, Day> day : days.entrySet()) {
            if (day.getKey() >= today && day.getValue().mightContain(hash)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the days before {@code today}: their records have expired. */
    void dropBefore(long today) {
        days.keySet().removeIf(day -> day < today);
    }

    /** Entries added, one per triplet and expiry day (less the few a false positive kept out). */
    int entries() {
        return days.values().stream().mapToInt(Day::entries).sum();
    }

    long bytes() {
        return days.values().stream().mapToLong(Day::bytes).sum();
    }

    /** One day's entries: filters of growing capacity, only the newest written. */
    private static final class Day {
        private final List<Bloom> filters = new CopyOnWriteArrayList<>(List.of(new Bloom(FIRST_CAPACITY)));

        /**
         * Adds unless the day may hold it already: nothing any answer depends on changes, and the publications read
         * again for the overlap, or this node's own read back, neither fill a filter nor count as entries.
         */
        void add(long hash) {
            if (mightContain(hash)) {
                return;
            }
            Bloom newest = filters.get(filters.size() - 1);
            if (!newest.add(hash)) {
                synchronized (this) {
                    newest = filters.get(filters.size() - 1);
                    if (newest.isFull()) {
                        newest = new Bloom(Math.min(MAX_CAPACITY, newest.capacity * GROWTH));
                        filters.add(newest);
                    }
                }
                newest.addAnyway(hash);
            }
        }

        boolean mightContain(long hash) {
            for (Bloom filter : filters) {
                if (filter.mightContain(hash)) {
                    return true;
                }
            }
            return false;
        }

        int entries() {
            return filters.stream().mapToInt(filter -> filter.entries.get()).sum();
        }

        long bytes() {
            return filters.stream().mapToLong(filter -> filter.words.length() * 8L).sum();
        }
    }

    private static final class Bloom {
        private final int capacity;
        private final AtomicLongArray words;
        private final AtomicInteger entries = new AtomicInteger();

        Bloom(int capacity) {
            this.capacity = capacity;
            this.words = new AtomicLongArray((int) ((long) capacity * BITS_PER_ENTRY / 64));
        }

        /** Adds unless full; {@code false} when full. */
        boolean add(long hash) {
            if (entries.get() >= capacity) {
                return false;
            }
            addAnyway(hash);
            return true;
        }

        void addAnyway(long hash) {
            entries.incrementAndGet();
            long bits = bits(hash);
            words.accumulateAndGet(word(hash), bits, (old, set) -> old | set);
        }

        boolean isFull() {
            return entries.get() >= capacity;
        }

        boolean mightContain(long hash) {
            long bits = bits(hash);
            return (words.get(word(hash)) & bits) == bits;
        }

        /** The word from the hash's high half, by multiplication rather than modulo. */
        private int word(long hash) {
            return (int) (((hash >>> 32) * words.length()) >>> 32);
        }

        /** {@value #BITS_SET} bit positions, six bits each, from the hash mixed again (the word took its high half). */
        private static long bits(long hash) {
            long mixed = hash * 0x9E3779B97F4A7C15L;
            long bits = 0;
            for (int i = 0; i < BITS_SET; i++) {
                bits |= 1L << ((mixed >>> (6 * i)) & 63);
            }
            return bits;
        }
    }
}
