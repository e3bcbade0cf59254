package org.rcptguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.WhitelistEntry;

/** What every {@link WhitelistStore} does, run against each implementation. */
public interface WhitelistStoreContract {
    WhitelistEntry CLIENT = WhitelistEntry.client("192.0.2.0/24");
    WhitelistEntry SENDER = WhitelistEntry.sender("partner.example");
    WhitelistEntry RECIPIENT = WhitelistEntry.recipient("abuse@example.com");

    WhitelistStore whitelistStore();

    @Test
    default void anEmptyStoreListsNothing() {
        assertThat(whitelistStore().list()).isEmpty();
    }

    @Test
    default void addedEntriesOfEveryKindAreListed() {
        whitelistStore().add(CLIENT);
        whitelistStore().add(SENDER);
        whitelistStore().add(RECIPIENT);

        assertThat(whitelistStore().list()).containsExactlyInAnyOrder(CLIENT, SENDER, RECIPIENT);
    }

    @Test
    default void addingTwiceListsOnce() {
        whitelistStore().add(CLIENT);
        whitelistStore().add(WhitelistEntry.client("192.0.2.0/24"));

        assertThat(whitelistStore().list()).containsExactly(CLIENT);
    }

    @Test
    default void theSameValueUnderAnotherKindIsAnotherEntry() {
        WhitelistEntry domainAsRecipient = WhitelistEntry.recipient("partner.example");
        whitelistStore().add(SENDER);
        whitelistStore().add(domainAsRecipient);

        whitelistStore().remove(SENDER);

        assertThat(whitelistStore().list()).containsExactly(domainAsRecipient);
    }

    @Test
    default void aRemovedEntryIsNoLongerListedAndOthersStay() {
        whitelistStore().add(CLIENT);
        whitelistStore().add(RECIPIENT);

        whitelistStore().remove(CLIENT);

        assertThat(whitelistStore().list()).containsExactly(RECIPIENT);
    }

    @Test
    default void removingAnAbsentEntryChangesNothing() {
        whitelistStore().add(SENDER);

        whitelistStore().remove(CLIENT);

        assertThat(whitelistStore().list()).containsExactly(SENDER);
    }

    @Test
    default void anIpv6NetworkIsKeptInCanonicalForm() {
        whitelistStore().add(WhitelistEntry.client("2001:DB8:0:0::/32"));

        assertThat(whitelistStore().list()).containsExactly(WhitelistEntry.client("2001:db8::/32"));
    }
}
