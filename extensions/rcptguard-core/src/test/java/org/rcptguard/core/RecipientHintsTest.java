package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecipientHintsTest {
    private static final String ALICE = "alice@example.com";
    private static final long MINUTE = RecipientHints.FRESHNESS.toMillis();

    private final RecipientHints hints = new RecipientHints();

    @Test
    void aRecipientFoundValidIsRecentlyValidForAMinute() {
        hints.found(ALICE, RecipientClass.VALID, 1_000);

        assertThat(hints.recentlyValid(ALICE, 1_000 + MINUTE - 1)).isTrue();
        assertThat(hints.recentlyValid(ALICE, 1_000 + MINUTE)).isFalse();
        assertThat(hints.recentlyValid("bob@example.com", 1_000)).isFalse();
    }

    @Test
    void aRecipientFoundUnknownOrUndecidedIsForgotten() {
        hints.found(ALICE, RecipientClass.VALID, 1_000);
        hints.found(ALICE, RecipientClass.INVALID, 2_000);
        assertThat(hints.recentlyValid(ALICE, 2_000)).isFalse();

        hints.found(ALICE, RecipientClass.VALID, 3_000);
        hints.found(ALICE, RecipientClass.UNDECIDED, 4_000);
        assertThat(hints.recentlyValid(ALICE, 4_000)).isFalse();
    }

    @Test
    void aValidRecipientIsRecordedAgainOnlyAfterHalfAMinute() {
        hints.found(ALICE, RecipientClass.VALID, 0);
        hints.found(ALICE, RecipientClass.VALID, MINUTE / 2 - 1);
        assertThat(hints.recentlyValid(ALICE, MINUTE)).as("the first record's minute").isFalse();

        hints.found(ALICE, RecipientClass.VALID, MINUTE);
        hints.found(ALICE, RecipientClass.VALID, MINUTE + MINUTE / 2);
        assertThat(hints.recentlyValid(ALICE, 2 * MINUTE + MINUTE / 2 - 1)).as("recorded again at half a minute").isTrue();
    }
}
