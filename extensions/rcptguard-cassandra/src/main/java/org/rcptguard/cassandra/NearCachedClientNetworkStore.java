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
 * at most once per {@link NearCaches#CLIENT_NETWORKS} (concurrent misses share one read), so a penalty imposed,
 * raised or lifted on another node is honoured here within that.
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
    private final Cache<ClientNetwork, ClientNetworkState> states;
    private final Map<ClientNetwork, Penalty> raises = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    NearCachedClientNetworkStore(ClientNetworkStore store, Clock clock, NearCaches caches) {
        this.store = store;
        this.clock = clock;
        this.states = caches.clientNetworks();
        this.flusher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rcptguard-penalty-raises"));
        long period = NearCaches.PENALTY_RAISES.toMillis();
        flusher.scheduleWithFixedDelay(this::writeRaises, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public ClientNetworkState load(ClientNetwork clientNetwork) {
        try {
            return states.get(clientNetwork, () -> store.load(clientNetwork));
        } catch (ExecutionException | UncheckedExecutionException e) {
            // The driver's own exception, as an uncached read would throw it.
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
        }
    }

    /** A cached state at once; else the store's own asynchronous read, cached when it answers. */
    @Override
    public CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
        ClientNetworkState known = states.getIfPresent(clientNetwork);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return store.loadAsync(clientNetwork).thenApply(state -> {
            states.put(clientNetwork, state);
            return state;
        });
    }

    @Override
    public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
        store.recordPassedTriplet(clientNetwork, triplet, ttl);
        states.invalidate(clientNetwork);
    }

    @Override
    public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
        ClientNetworkState known = states.getIfPresent(clientNetwork);
        Optional<Penalty> running = known == null ? Optional.empty() : known.penaltyActiveAt(clock.instant());
        if (running.isPresent() && running.get().level() < penalty.level()) {
            raises.merge(clientNetwork, penalty, (pending, raised) -> pending.level() >= raised.level() ? pending : raised);
        } else {
            store.penalise(clientNetwork, penalty);
        }
        if (known == null) {
            // its reputation is not known here: the next read takes both from the store
            states.invalidate(clientNetwork);
        } else {
            states.put(clientNetwork, new ClientNetworkState(known.passedTriplets(), Optional.of(penalty)));
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
        flusher.shutdown();
        flusher.awaitTermination(5, TimeUnit.SECONDS);
        writeRaises();
    }
}
