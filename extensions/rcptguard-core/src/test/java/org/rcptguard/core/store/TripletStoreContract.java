package org.rcptguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.identity.ClientIdentity;

/** What every {@link TripletStore} does, run against each implementation. */
public interface TripletStoreContract {
    Triplet TRIPLET = new Triplet(ClientNetwork.parse("192.0.2.0/24"), "someone@sender.example", "alice@example.com");

    TripletStore tripletStore();

    /** The instant the store's clock reads now. */
    Instant now();

    /** Lets {@code duration} pass for the store (a clock moved, or real time waited). */
    void advance(Duration duration);

    @Test
    default void anUnknownTripletIsAbsent() {
        assertThat(tripletStore().find(TRIPLET)).isEmpty();
    }

    @Test
    default void aSavedRecordIsFoundAsSaved() {
        Instant firstSeen = now().truncatedTo(ChronoUnit.MILLIS);
        TripletRecord record = new TripletRecord(firstSeen, Optional.of(firstSeen.plusSeconds(300)), firstSeen.plusSeconds(300));

        tripletStore().save(TRIPLET, record, Duration.ofHours(1));

        assertThat(tripletStore().find(TRIPLET)).contains(record);
    }

    @Test
    default void savingAgainReplacesTheRecord() {
        Instant firstSeen = now().truncatedTo(ChronoUnit.MILLIS);
        tripletStore().save(TRIPLET, TripletRecord.firstSeen(firstSeen), Duration.ofHours(1));
        TripletRecord passed = TripletRecord.firstSeen(firstSeen).passed(firstSeen.plusSeconds(400));

        tripletStore().save(TRIPLET, passed, Duration.ofHours(1));

        assertThat(tripletStore().find(TRIPLET)).contains(passed);
    }

    @Test
    default void tripletsDifferingInAnyPartAreDistinct() {
        tripletStore().save(TRIPLET, TripletRecord.firstSeen(now().truncatedTo(ChronoUnit.MILLIS)), Duration.ofHours(1));

        assertThat(tripletStore().find(new Triplet(ClientNetwork.parse("192.0.3.0/24"), TRIPLET.sender(), TRIPLET.recipient()))).isEmpty();
        assertThat(tripletStore().find(new Triplet(TRIPLET.client(), "<>", TRIPLET.recipient()))).isEmpty();
        assertThat(tripletStore().find(new Triplet(TRIPLET.client(), TRIPLET.sender(), "bob@example.com"))).isEmpty();
    }

    @Test
    default void aProvenIdentitysTripletIsItsOwnWhicheverNetworkItCameFrom() {
        Triplet proven = new Triplet(ClientIdentity.spf("sender.example"), TRIPLET.sender(), TRIPLET.recipient());
        Instant firstSeen = now().truncatedTo(ChronoUnit.MILLIS);

        tripletStore().save(proven, TripletRecord.firstSeen(firstSeen), Duration.ofHours(1));

        assertThat(tripletStore().find(new Triplet(ClientIdentity.parse("spf:Sender.Example"), TRIPLET.sender(), TRIPLET.recipient())))
            .contains(TripletRecord.firstSeen(firstSeen));
        assertThat(tripletStore().find(TRIPLET)).isEmpty();
        assertThat(tripletStore().find(new Triplet(ClientIdentity.fcrdns("sender.example"), TRIPLET.sender(), TRIPLET.recipient())))
            .isEmpty();
    }

    @Test
    default void aForgottenTripletIsAbsentAndOthersAreKept() {
        Triplet other = new Triplet(TRIPLET.client(), TRIPLET.sender(), "bob@example.com");
        Instant firstSeen = now().truncatedTo(ChronoUnit.MILLIS);
        tripletStore().save(TRIPLET, TripletRecord.firstSeen(firstSeen).passed(firstSeen.plusSeconds(300)), Duration.ofHours(1));
        tripletStore().save(other, TripletRecord.firstSeen(firstSeen), Duration.ofHours(1));

        tripletStore().forget(TRIPLET);

        assertThat(tripletStore().find(TRIPLET)).isEmpty();
        assertThat(tripletStore().find(other)).contains(TripletRecord.firstSeen(firstSeen));
    }

    @Test
    default void forgettingAnUnknownTripletChangesNothing() {
        tripletStore().forget(TRIPLET);

        assertThat(tripletStore().find(TRIPLET)).isEmpty();
    }

    @Test
    default void aRecordExpiresAfterItsTimeToLive() {
        tripletStore().save(TRIPLET, TripletRecord.firstSeen(now().truncatedTo(ChronoUnit.MILLIS)), Duration.ofSeconds(2));

        advance(Duration.ofSeconds(3));

        assertThat(tripletStore().find(TRIPLET)).isEmpty();
    }
}
