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
 * {@link NearCaches#REPUTATION} while the other nodes' {@link PenaltyChanges} are current and announce no change of
 * that network; so a penalty imposed, raised or lifted on another node is honoured here within a second either way.
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
                return new Read(store.load(clientNetwork), readAt);
            }).state;
        } catch (ExecutionException | UncheckedExecutionException e) {
            // The driver's own exception, as an uncached read would throw it.
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
        }
    }

    /** A cached state at once; else the store's own asynchronous read, cached when it answers. */
    @Override
    public CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
        Read cached = servable(clientNetwork);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.state);
        }
        long readAt = clock.millis();
        return store.loadAsync(clientNetwork).thenApply(state -> {
            states.put(clientNetwork, new Read(state, readAt));
            return state;
        });
    }

    /** The cached read of {@code clientNetwork} if it may still be served; else none, and it is dropped. */
    private Read servable(ClientNetwork clientNetwork) {
        Read cached = states.getIfPresent(clientNetwork);
        if (cached == null) {
            return null;
        }
        long age = clock.millis() - cached.readAt;
        if (age <= NearCaches.PENALTIES.toMillis()
            || age <= NearCaches.REPUTATION.toMillis() && changes.unchangedSince(clientNetwork, cached.readAt)) {
            return cached;
        }
        states.asMap().remove(clientNetwork, cached);
        return null;
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

        Read(ClientNetworkState state, long readAt) {
            this.state = state;
            this.readAt = readAt;
        }
    }
}
