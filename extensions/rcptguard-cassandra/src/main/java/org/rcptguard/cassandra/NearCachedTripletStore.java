package org.rcptguard.cassandra;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.TripletStore;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.google.common.cache.Cache;

/**
 * The greylist with this node's near cache of passed triplets (docs/design.md, "State"). A passed triplet stays
 * passed until its lifetime ends or an operator forgets it, so a pass read or written here is answered from memory
 * for {@link NearCaches#PASSED_TRIPLETS} at most, then read again: a triplet forgotten on another node passes here
 * for that long at most. A triplet not passed is read, since its retry may land on any node, unless this node's
 * {@link SharedTripletFilter} knows it is not in the greylist: then no read at all (a first contact).
 *
 * <p>A first contact's write (a record not passed) completes after the reply ({@link DeferredWrites}, batched with
 * this node's other first contacts); until it is done this node answers from the record it is writing. A pass
 * is written before the reply, never deferred.
 */
final class NearCachedTripletStore implements TripletStore {
    private final CassandraTripletStore store;
    private final Cache<Triplet, TripletRecord> passed;
    private final Map<Triplet, TripletRecord> writing = new ConcurrentHashMap<>();
    private final DeferredWrites<BoundStatement> writes;
    private final Optional<SharedTripletFilter> tripletFilter;

    NearCachedTripletStore(CassandraTripletStore store, NearCaches caches, DeferredWrites<BoundStatement> writes,
                           Optional<SharedTripletFilter> filter) {
        this.store = store;
        this.passed = caches.passedTriplets();
        this.writes = writes;
        this.tripletFilter = filter;
    }

    @Override
    public Optional<TripletRecord> find(Triplet triplet) {
        return near(triplet).orElseGet(() -> remember(triplet, store.find(triplet)));
    }

    @Override
    public CompletableFuture<Optional<TripletRecord>> findAsync(Triplet triplet) {
        Optional<Optional<TripletRecord>> near = near(triplet);
        if (near.isPresent()) {
            return CompletableFuture.completedFuture(near.get());
        }
        return store.findAsync(triplet).thenApply(record -> remember(triplet, record));
    }

    private Optional<Optional<TripletRecord>> near(Triplet triplet) {
        TripletRecord known = passed.getIfPresent(triplet);
        if (known == null) {
            known = writing.get(triplet);
        }
        if (known == null) {
            return tripletFilter.filter(shared -> shared.knowsAbsent(triplet)).map(absent -> Optional.<TripletRecord>empty());
        }
        return Optional.of(Optional.of(known));
    }

    private Optional<TripletRecord> remember(Triplet triplet, Optional<TripletRecord> record) {
        record.filter(TripletRecord::isPassed).ifPresent(pass -> passed.put(triplet, pass));
        return record;
    }

    @Override
    public void save(Triplet triplet, TripletRecord record, Duration ttl) {
        tripletFilter.ifPresent(shared -> shared.recorded(triplet, ttl));
        if (record.isPassed()) {
            store.save(triplet, record, ttl);
            passed.put(triplet, record);
            return;
        }
        passed.invalidate(triplet);
        writing.put(triplet, record);
        writes.submit(triplet, store.insert(triplet, record, ttl), () -> writing.remove(triplet, record));
    }

    @Override
    public void forget(Triplet triplet) {
        passed.invalidate(triplet);
        writing.remove(triplet);
        store.forget(triplet);
        // A read that was in flight during the delete may have cached the pass again.
        passed.invalidate(triplet);
    }
}
