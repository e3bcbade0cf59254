package org.rcptguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;

/** What every {@link UnknownRecipientStore} does, run against each implementation. */
public interface UnknownRecipientStoreContract {
    ClientNetwork NETWORK = ClientNetwork.parse("192.0.2.0/24");
    Duration WINDOW = Duration.ofHours(1);

    UnknownRecipientStore unknownRecipientStore();

    void advance(Duration duration);

    @Test
    default void distinctRecipientsAddUp() {
        assertThat(unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", WINDOW)).isEqualTo(1);
        assertThat(unknownRecipientStore().recordAndCount(NETWORK, "b@example.com", WINDOW)).isEqualTo(2);
        assertThat(unknownRecipientStore().recordAndCount(NETWORK, "c@example.com", WINDOW)).isEqualTo(3);
    }

    @Test
    default void theSameRecipientCountsOnce() {
        unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", WINDOW);
        unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", WINDOW);

        assertThat(unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", WINDOW)).isEqualTo(1);
    }

    @Test
    default void networksAreCountedApart() {
        unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", WINDOW);

        assertThat(unknownRecipientStore().recordAndCount(ClientNetwork.parse("192.0.3.0/24"), "b@example.com", WINDOW)).isEqualTo(1);
    }

    @Test
    default void countingRecordsNothing() {
        assertThat(unknownRecipientStore().count(NETWORK)).isZero();
        unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", WINDOW);
        unknownRecipientStore().recordAndCount(NETWORK, "b@example.com", WINDOW);

        assertThat(unknownRecipientStore().count(NETWORK)).isEqualTo(2);
        assertThat(unknownRecipientStore().count(NETWORK)).isEqualTo(2);
        assertThat(unknownRecipientStore().count(ClientNetwork.parse("192.0.3.0/24"))).isZero();
    }

    @Test
    default void aForgottenNetworkStartsOverAndOthersKeepTheirCount() {
        ClientNetwork other = ClientNetwork.parse("192.0.3.0/24");
        unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", WINDOW);
        unknownRecipientStore().recordAndCount(NETWORK, "b@example.com", WINDOW);
        unknownRecipientStore().recordAndCount(other, "a@example.com", WINDOW);

        unknownRecipientStore().forget(NETWORK);

        assertThat(unknownRecipientStore().count(NETWORK)).isZero();
        assertThat(unknownRecipientStore().recordAndCount(NETWORK, "c@example.com", WINDOW)).isEqualTo(1);
        assertThat(unknownRecipientStore().count(other)).isEqualTo(1);
    }

    @Test
    default void eventsOutsideTheWindowNoLongerCount() {
        unknownRecipientStore().recordAndCount(NETWORK, "a@example.com", Duration.ofSeconds(2));

        advance(Duration.ofSeconds(3));

        assertThat(unknownRecipientStore().recordAndCount(NETWORK, "b@example.com", Duration.ofSeconds(2))).isEqualTo(1);
    }
}
