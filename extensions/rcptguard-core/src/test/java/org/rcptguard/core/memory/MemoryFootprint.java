package org.rcptguard.core.memory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;

/**
 * Measures the heap the memory store takes per entry: fills each table with a million realistic entries and
 * compares heap after a full GC. Run by {@code bin/measure-memory}; it reports, it does not assert.
 */
public final class MemoryFootprint {
    private static final int ENTRIES = 1_000_000;

    public static void main(String[] args) {
        MutableClock clock = new MutableClock();
        long base = usedHeap();
        MemoryTripletStore triplets = new MemoryTripletStore(clock, ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            Triplet triplet = new Triplet(ClientNetwork.parse("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + ".0/24"),
                "sender" + (i % 5000) + "@sender-domain.example", "user" + i + "@example.com");
            triplets.save(triplet, TripletRecord.firstSeen(clock.instant()), Duration.ofDays(2));
        }
        long afterTriplets = usedHeap();
        report("triplets", triplets.size(), afterTriplets - base);

        MemoryUnknownRecipientStore unknown = new MemoryUnknownRecipientStore(clock, ENTRIES, 74);
        for (int i = 0; i < ENTRIES; i++) {
            // A scan spread over many networks: one unknown recipient each (the worst case per event).
            unknown.recordAndCount(ClientNetwork.parse("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "/32"),
                "probe" + i + "@example.com", Duration.ofHours(1));
        }
        report("unknown-recipient events", ENTRIES, usedHeap() - afterTriplets);
        System.out.println("kept alive: " + (triplets.size() > 0) + " " + (unknown != null) + " at " + Instant.now());
    }

    private static void report(String table, int entries, long bytes) {
        System.out.printf("%-26s %,10d entries %,8d MiB %,6d bytes/entry%n", table, entries, bytes >> 20, bytes / entries);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
