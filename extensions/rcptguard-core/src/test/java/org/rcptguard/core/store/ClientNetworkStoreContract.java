package org.rcptguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.identity.ClientIdentity;

/** What every {@link ClientNetworkStore} does, run against each implementation. */
public interface ClientNetworkStoreContract {
    ClientNetwork NETWORK = ClientNetwork.parse("192.0.2.0/24");
    ClientNetwork OTHER_NETWORK = ClientNetwork.parse("2001:db8::/64");

    ClientNetworkStore clientNetworkStore();

    Instant now();

    void advance(Duration duration);

    private static Triplet triplet(String recipient) {
        return new Triplet(NETWORK, "someone@sender.example", recipient);
    }

    @Test
    default void anUnknownNetworkHasNoPassesAndNoPenalty() {
        assertThat(clientNetworkStore().load(NETWORK)).isEqualTo(ClientNetworkState.UNKNOWN);
    }

    @Test
    default void passedTripletsAreCountedOnceEach() {
        clientNetworkStore().recordPassedTriplet(NETWORK, triplet("alice@example.com"), Duration.ofHours(1));
        clientNetworkStore().recordPassedTriplet(NETWORK, triplet("alice@example.com"), Duration.ofHours(1));
        clientNetworkStore().recordPassedTriplet(NETWORK, triplet("bob@example.com"), Duration.ofHours(1));

        assertThat(clientNetworkStore().load(NETWORK).passedTriplets()).isEqualTo(2);
        assertThat(clientNetworkStore().load(OTHER_NETWORK).passedTriplets()).isZero();
    }

    @Test
    default void passedTripletsExpire() {
        clientNetworkStore().recordPassedTriplet(NETWORK, triplet("alice@example.com"), Duration.ofSeconds(2));

        advance(Duration.ofSeconds(3));

        assertThat(clientNetworkStore().load(NETWORK).passedTriplets()).isZero();
    }

    @Test
    default void aProvenIdentityIsKeptApartFromItsNetworksAndReadAsynchronouslyAlike() throws Exception {
        ClientNetwork identity = ClientNetwork.provenBy(ClientIdentity.spf("pool.example"));
        Penalty penalty = new Penalty(1, now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS));
        clientNetworkStore().recordPassedTriplet(identity, triplet("alice@example.com"), Duration.ofHours(1));
        clientNetworkStore().penalise(identity, penalty);

        assertThat(clientNetworkStore().loadAsync(identity).get(10, TimeUnit.SECONDS)).isEqualTo(new ClientNetworkState(1, Optional.of(penalty)));
        assertThat(clientNetworkStore().load(identity)).isEqualTo(new ClientNetworkState(1, Optional.of(penalty)));
        assertThat(clientNetworkStore().loadAsync(NETWORK).get(10, TimeUnit.SECONDS)).isEqualTo(ClientNetworkState.UNKNOWN);
    }

    @Test
    default void aPenaltyIsReadBackWithItsNetwork() {
        Penalty penalty = new Penalty(2, now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS));

        clientNetworkStore().penalise(NETWORK, penalty);

        assertThat(clientNetworkStore().load(NETWORK).penalty()).contains(penalty);
        assertThat(clientNetworkStore().load(OTHER_NETWORK).penalty()).isEmpty();
    }

    @Test
    default void aHigherPenaltyReplacesTheFormer() {
        clientNetworkStore().penalise(NETWORK, new Penalty(1, now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS)));
        Penalty escalated = new Penalty(2, now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS));

        clientNetworkStore().penalise(NETWORK, escalated);

        assertThat(clientNetworkStore().load(NETWORK).penalty()).contains(escalated);
    }

    @Test
    default void aLiftedPenaltyIsGoneAndThePassesStay() {
        clientNetworkStore().recordPassedTriplet(NETWORK, triplet("alice@example.com"), Duration.ofHours(1));
        clientNetworkStore().penalise(NETWORK, new Penalty(3, now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS)));
        Penalty other = new Penalty(1, now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS));
        clientNetworkStore().penalise(OTHER_NETWORK, other);

        clientNetworkStore().liftPenalty(NETWORK);

        assertThat(clientNetworkStore().load(NETWORK)).isEqualTo(new ClientNetworkState(1, java.util.Optional.empty()));
        assertThat(clientNetworkStore().load(OTHER_NETWORK).penalty()).contains(other);
    }

    @Test
    default void aNetworkCanBePenalisedAgainAfterALift() {
        clientNetworkStore().penalise(NETWORK, new Penalty(3, now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS)));
        clientNetworkStore().liftPenalty(NETWORK);
        Penalty again = new Penalty(1, now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS));

        clientNetworkStore().penalise(NETWORK, again);

        assertThat(clientNetworkStore().load(NETWORK).penalty()).contains(again);
    }

    @Test
    default void liftingWithoutAPenaltyChangesNothing() {
        clientNetworkStore().liftPenalty(NETWORK);

        assertThat(clientNetworkStore().load(NETWORK)).isEqualTo(ClientNetworkState.UNKNOWN);
    }

    @Test
    default void aPenaltyIsGoneOnceOver() {
        clientNetworkStore().penalise(NETWORK, new Penalty(1, now().plusSeconds(2)));

        advance(Duration.ofSeconds(3));

        assertThat(clientNetworkStore().load(NETWORK).penalty()).isEmpty();
    }
}
