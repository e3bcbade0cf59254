package org.rcptguard.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What is known of a client network, read in one lookup: distinct triplets it has passed, and its penalty if any. */
public final class ClientNetworkState {
    public static final ClientNetworkState UNKNOWN = new ClientNetworkState(0, Optional.empty());

    private final int passedTriplets;
    private final Penalty penalty;

    public ClientNetworkState(int passedTriplets, Optional<Penalty> penalty) {
        this.passedTriplets = passedTriplets;
        this.penalty = penalty.orElse(null);
    }

    public int passedTriplets() {
        return passedTriplets;
    }

    public Optional<Penalty> penalty() {
        return Optional.ofNullable(penalty);
    }

    /** The penalty if it still runs at {@code now}. */
    public Optional<Penalty> penaltyActiveAt(Instant now) {
        return penalty().filter(current -> current.isActiveAt(now));
    }

    /** Whether this network has passed enough triplets to skip greylisting; {@code requiredPasses} 0 turns it off. */
    public boolean isAutoWhitelisted(int requiredPasses) {
        return requiredPasses > 0 && passedTriplets >= requiredPasses;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof ClientNetworkState) {
            ClientNetworkState other = (ClientNetworkState) o;
            return passedTriplets == other.passedTriplets && Objects.equals(penalty, other.penalty);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(passedTriplets, penalty);
    }

    @Override
    public String toString() {
        return "ClientNetworkState{passedTriplets=" + passedTriplets + ", penalty=" + penalty + "}";
    }
}
