package org.rcptguard.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.TripletStore;

public final class MemoryTripletStore implements TripletStore {
    private final BoundedExpiringMap<Triplet, TripletRecord> triplets;
    private final Clock clock;

    public MemoryTripletStore(Clock clock, int maxEntries) {
        this.triplets = new BoundedExpiringMap<>(maxEntries);
        this.clock = clock;
    }

    @Override
    public Optional<TripletRecord> find(Triplet triplet) {
        return triplets.get(triplet, clock.instant());
    }

    @Override
    public void save(Triplet triplet, TripletRecord record, Duration ttl) {
        Instant now = clock.instant();
        triplets.put(triplet, record, now.plus(ttl), now);
    }

    @Override
    public void forget(Triplet triplet) {
        triplets.remove(triplet);
    }

    int size() {
        return triplets.size();
    }
}
