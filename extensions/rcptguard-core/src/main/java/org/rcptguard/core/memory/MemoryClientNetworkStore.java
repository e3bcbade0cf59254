package org.rcptguard.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.store.ClientNetworkStore;

public final class MemoryClientNetworkStore implements ClientNetworkStore {
    private final BoundedExpiringMap<ClientNetwork, ExpiringSet<Triplet>> passedTriplets;
    private final BoundedExpiringMap<ClientNetwork, Penalty> penalties;
    private final Clock clock;
    private final int maxPassedTripletsPerNetwork;

    /**
     * @param maxPassedTripletsPerNetwork counting stops there: the auto-whitelist threshold is all that is ever asked
     */
    public MemoryClientNetworkStore(Clock clock, int maxEntries, int maxPassedTripletsPerNetwork) {
        this.passedTriplets = new BoundedExpiringMap<>(maxEntries);
        this.penalties = new BoundedExpiringMap<>(maxEntries);
        this.clock = clock;
        this.maxPassedTripletsPerNetwork = Math.max(1, maxPassedTripletsPerNetwork);
    }

    @Override
    public ClientNetworkState load(ClientNetwork clientNetwork) {
        Instant now = clock.instant();
        int passed = passedTriplets.get(clientNetwork, now).map(set -> set.liveCount(now)).orElse(0);
        return new ClientNetworkState(passed, penalties.get(clientNetwork, now));
    }

    @Override
    public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        passedTriplets.update(clientNetwork, set -> set == null ? new ExpiringSet<>() : set, expiresAt, now)
            .record(triplet, expiresAt, now, maxPassedTripletsPerNetwork);
    }

    @Override
    public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
        Instant now = clock.instant();
        penalties.put(clientNetwork, penalty, penalty.until(), now);
    }

    @Override
    public void liftPenalty(ClientNetwork clientNetwork) {
        penalties.remove(clientNetwork);
    }
}
