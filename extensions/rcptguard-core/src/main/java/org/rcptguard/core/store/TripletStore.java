package org.rcptguard.core.store;

import java.time.Duration;
import java.util.Optional;

import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;

/** The greylist. Every record is written with a time to live, so nothing outlives its rule. */
public interface TripletStore {
    Optional<TripletRecord> find(Triplet triplet);

    void save(Triplet triplet, TripletRecord record, Duration ttl);
}
