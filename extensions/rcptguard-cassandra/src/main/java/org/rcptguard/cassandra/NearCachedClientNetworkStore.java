package org.rcptguard.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.store.ClientNetworkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.cache.Cache;
import com.google.common.util.concurrent.UncheckedExecutionException;

/**
 * Client networks with this node's near cache (docs/design.md, "State"): a network's reputation and penalty are read
 * at most once per {@link NearCaches#PENALTIES} (concurrent misses share one read), or once per
 * {@link NearCaches#REPUTATION} while the other nodes' {@link PenaltyChanges} are current; a state is dropped as soon
 * as a change of its network is heard of. So a penalty imposed, raised or lifted on another node is honoured here
 * within a second either way, and within {@link PenaltyChanges#FRESHNESS} of its announcement while they are read.
 * A network still in use after {@link NearCaches#REFRESH_AHEAD} is read again in the background, so that in the
 * steady state no RCPT waits for its network's read.
 *
 * <p>A penalty's imposition is written at once. Its raises (each further unknown recipient of a penalised network)
 * change only how long a network already deferred everywhere stays deferred: this node keeps the highest and writes
 * it once per {@link NearCaches#PENALTY_RAISES}. A node stopping loses at most that second's raise, never the penalty;
 * the next unknown recipient raises it again from the recorded count.
 */
final class NearCachedClientNetworkStore implements ClientNetworkStore, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(NearCachedClientNetworkStore.class);

    private final ClientNetworkStore store;
    private final Clock clock;
    private final PenaltyChanges changes;
    private final Cache<ClientNetwork, Read> states;
    private final Map<ClientNetwork, Penalty> raises = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    NearCachedClientNetworkStore(ClientNetworkStore store, Clock clock, NearCaches caches, PenaltyChanges changes) {
        this.store = store;
        this.clock = clock;
        this.changes = changes;
        this.states = caches.clientNetworks();
        this.flusher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rcptguard-penalty-raises"));
        long period = NearCaches.PENALTY_RAISES.toMillis();
        flusher.scheduleWithFixedDelay(this::writeRaises, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public ClientNetworkState load(ClientNetwork clientNetwork) {
        Read cached = servable(clientNetwork);
        if (cached != null) {
            return cached.state;
        }
        try {
            return states.get(clientNetwork, () -> {
                long readAt = clock.millis();
                return read(clientNetwork, store.load(clientNetwork), readAt);
            }).state;
        } catch (ExecutionException | UncheckedExecutionException e) {
            // The driver's own exception, as an uncached read would throw it.
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
        }
    }

    /**
     * A cached state at once; else the store's own asynchronous read, cached when it answers unless another state was
     * cached meanwhile (a penalty imposed here, a read of another caller).
     */
    @Override
    public CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
        Read cached = servable(clientNetwork);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.state);
        }
        long readAt = clock.millis();
        return store.loadAsync(clientNetwork).thenApply(state -> {
            Read read = read(clientNetwork, state, readAt);
            Read meanwhile = states.asMap().putIfAbsent(clientNetwork, read);
            return (meanwhile == null ? read : meanwhile).state;
        });
    }

    /** The cached read of {@code clientNetwork} if it may still be served; else none, and it is dropped. */
    private Read servable(ClientNetwork clientNetwork) {
        Read cached = states.getIfPresent(clientNetwork);
        if (cached == null) {
            return null;
        }
        long age = clock.millis() - cached.readAt;
        if (changes.heardOfSince(clientNetwork, cached.readAt)
            || age > NearCaches.PENALTIES.toMillis() && (age > NearCaches.REPUTATION.toMillis() || !changes.current())) {
            states.asMap().remove(clientNetwork, cached);
            return null;
        }
        if (age > NearCaches.REFRESH_AHEAD.toMillis() && cached.refreshing.compareAndSet(false, true)) {
            refresh(clientNetwork, cached);
        }
        return cached;
    }

    /**
     * What the store answered, with this node's raise of its penalty that is not written yet: a node reading its own
     * network again (after hearing of its own announcement) does not forget what it raised meanwhile.
     */
    private Read read(ClientNetwork clientNetwork, ClientNetworkState stored, long readAt) {
        Penalty pending = raises.get(clientNetwork);
        Optional<Penalty> storedPenalty = stored.penaltyActiveAt(clock.instant());
        if (pending == null || storedPenalty.isEmpty() || storedPenalty.get().level() >= pending.level()) {
            return new Read(stored, readAt);
        }
        return new Read(new ClientNetworkState(stored.passedTriplets(), Optional.of(pending)), readAt);
    }

    /**
     * Reads a network in use again before its state may no longer be served, without a caller waiting: the new state
     * replaces the old one only if nothing else did meanwhile (a penalty imposed here, a passed triplet recorded).
     */
    private void refresh(ClientNetwork clientNetwork, Read stale) {
        long readAt = clock.millis();
        store.loadAsync(clientNetwork).whenComplete((state, failure) -> {
            if (failure == null) {
                states.asMap().replace(clientNetwork, stale, read(clientNetwork, state, readAt));
            } else {
                stale.refreshing.set(false); // the next RCPT tries again; at the bound, a read it waits for
                LOGGER.debug("RcptGuard could not read {} ahead of its near cache's bound", clientNetwork, failure);
            }
        });
    }

    @Override
    public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
        store.recordPassedTriplet(clientNetwork, triplet, ttl);
        states.invalidate(clientNetwork);
    }

    @Override
    public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
        Read known = servable(clientNetwork);
        Optional<Penalty> running = known == null ? Optional.empty() : known.state.penaltyActiveAt(clock.instant());
        if (running.isPresent() && running.get().level() < penalty.level()) {
            raises.merge(clientNetwork, penalty, (pending, raised) -> pending.level() >= raised.level() ? pending : raised);
        } else {
            store.penalise(clientNetwork, penalty);
        }
        if (known == null) {
            // its reputation is not known here: the next read takes both from the store
            states.invalidate(clientNetwork);
        } else {
            // as old as the read it amends: its reputation is no fresher
            states.put(clientNetwork, new Read(new ClientNetworkState(known.state.passedTriplets(), Optional.of(penalty)),
                known.readAt));
        }
    }

    @Override
    public void liftPenalty(ClientNetwork clientNetwork) {
        raises.remove(clientNetwork);
        store.liftPenalty(clientNetwork);
        states.invalidate(clientNetwork);
    }

    private void writeRaises() {
        for (ClientNetwork clientNetwork : raises.keySet()) {
            Penalty penalty = raises.remove(clientNetwork);
            if (penalty == null || !penalty.isActiveAt(clock.instant())) {
                continue;
            }
            try {
                store.penalise(clientNetwork, penalty);
            } catch (RuntimeException e) {
                LOGGER.warn("RcptGuard could not raise the penalty of {} to {}", clientNetwork, penalty, e);
            }
        }
    }

    boolean penaltyChangesCurrent() {
        return changes.current();
    }

    /** Writes the raises still pending, then stops. */
    @Override
    public void close() throws InterruptedException {
        try {
            flusher.shutdown();
            flusher.awaitTermination(5, TimeUnit.SECONDS);
            writeRaises();
        } finally {
            changes.close();
        }
    }

    /** A network's state and when it was read (the clock's milliseconds): how stale it may be is counted from there. */
    private static final class Read {
        final ClientNetworkState state;
        final long readAt;
        /** Whether a read ahead of this one's bound was started (one at a time). */
        final AtomicBoolean refreshing = new AtomicBoolean();

        Read(ClientNetworkState state, long readAt) {
            this.state = state;
            this.readAt = readAt;
        }
    }
}
