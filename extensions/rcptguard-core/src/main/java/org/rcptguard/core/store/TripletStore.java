package org.rcptguard.core.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;

/** The greylist. Every record is written with a time to live, so nothing outlives its rule. */
public interface TripletStore {
    Optional<TripletRecord> find(Triplet triplet);

    /**
     * Starts {@link #find} and returns at once, so that the read overlaps the client network's: one round trip for
     * both. A store whose reads cost no round trip answers synchronously.
     */
    default CompletableFuture<Optional<TripletRecord>> findAsync(Triplet triplet) {
        try {
            return CompletableFuture.completedFuture(find(triplet));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    void save(Triplet triplet, TripletRecord record, Duration ttl);

    /** Forgets the triplet (an operator's decision): its next attempt is a first contact. Absent: nothing changes. */
    void forget(Triplet triplet);
}
