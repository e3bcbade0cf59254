package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Triplet;

class TripletFilterTest {
    private static final long TODAY = 20_000;

    @Test
    void everyTripletAddedIsFoundAcrossTheDaysGrowthAndFewOthersAre() {
        TripletFilter filter = new TripletFilter();
        SplittableRandom random = new SplittableRandom(42);
        int added = 20 * TripletFilter.FIRST_CAPACITY; // several filters of doubling capacity in one day
        long[] hashes = new long[added];
        for (int i = 0; i < added; i++) {
            hashes[i] = random.nextLong();
            filter.add(hashes[i], TODAY + 2);
        }

        for (long hash : hashes) {
            assertThat(filter.mightContain(hash, TODAY)).isTrue();
        }
        int falsePositives = 0;
        int others = 100_000;
        for (int i = 0; i < others; i++) {
            if (filter.mightContain(random.nextLong(), TODAY)) {
                falsePositives++;
            }
        }
        System.out.printf("triplet filter: %d entries in %d KiB, %.3f %% false positives%n", filter.entries(), filter.bytes() / 1024,
            100.0 * falsePositives / others);
        assertThat(filter.entries()).isBetween((int) (added * 0.99), added);
        assertThat((double) falsePositives / others).isLessThan(0.01);
        assertThat(filter.bytes()).isLessThanOrEqualTo(4L * added * TripletFilter.BITS_PER_ENTRY / 8);
    }

    @Test
    void aTripletAddedAgainIsOneEntry() {
        TripletFilter filter = new TripletFilter();
        for (int i = 0; i < 5; i++) {
            filter.add(7, TODAY + 1);
        }
        filter.add(7, TODAY + 36);

        assertThat(filter.entries()).isEqualTo(2);
    }

    @Test
    void aTripletIsForgottenOnlyAfterTheDayItsRecordExpires() {
        TripletFilter filter = new TripletFilter();
        filter.add(7, TODAY + 1);

        assertThat(filter.mightContain(7, TODAY + 1)).isTrue();
        assertThat(filter.mightContain(7, TODAY + 2)).as("past its day").isFalse();
        filter.dropBefore(TODAY + 1);
        assertThat(filter.mightContain(7, TODAY + 1)).isTrue();
        filter.dropBefore(TODAY + 2);
        assertThat(filter.entries()).isZero();
    }

    @Test
    void theHashIsTheSameFromATripletAndFromItsStoredKey() {
        Triplet triplet = new Triplet(ClientNetwork.parse("198.51.100.0/24"), "sender@example.net", "alice@example.com");

        assertThat(TripletFilter.hash(triplet))
            .isEqualTo(TripletFilter.hash(triplet.client().storedKey(), "sender@example.net", "alice@example.com"))
            .isNotEqualTo(TripletFilter.hash(triplet.client().storedKey(), "sender@example.netalice", "@example.com"));
    }
}
