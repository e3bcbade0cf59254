package org.rcptguard.core;

import java.time.Duration;

import org.rcptguard.core.store.ClientNetworkStore;

/** A store that is down. */
final class FailingClientNetworkStore implements ClientNetworkStore {
    @Override
    public ClientNetworkState load(ClientNetwork clientNetwork) {
        throw new IllegalStateException("store down");
    }

    @Override
    public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
        throw new IllegalStateException("store down");
    }

    @Override
    public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
        throw new IllegalStateException("store down");
    }

    @Override
    public void liftPenalty(ClientNetwork clientNetwork) {
        throw new IllegalStateException("store down");
    }
}
