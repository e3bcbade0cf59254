package org.rcptguard.core.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;

/** Reputation (distinct passed triplets, for the auto-whitelist) and penalty of a client network, read together. */
public interface ClientNetworkStore {
    ClientNetworkState load(ClientNetwork clientNetwork);

    /** Starts {@link #load}, so that it shares a round trip with the RCPT's other reads; by default, the read itself. */
    default CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
        return CompletableFuture.completedFuture(load(clientNetwork));
    }

    /** Counting is by distinct triplet: the same triplet passing again does not raise the count. */
    void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl);

    void penalise(ClientNetwork clientNetwork, Penalty penalty);

    /** Lifts the network's penalty, if any (an operator's decision); its passed triplets are kept. */
    void liftPenalty(ClientNetwork clientNetwork);
}
