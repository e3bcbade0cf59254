package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.RecipientClass;

/** What every {@link VerificationCache} does, run against each implementation (each test uses its own keys). */
public interface VerificationCacheContract {
    VerificationCache verificationCache();

    /** Lets {@code duration} pass for the cache (a clock moved, or real time waited). */
    void advance(Duration duration);

    @Test
    default void anUnknownAddressIsAbsent() {
        assertThat(verificationCache().find("never-seen@contract.example")).isEmpty();
    }

    @Test
    default void answersAreFoundUntilTheirTtl() {
        verificationCache().save("valid@contract.example", RecipientClass.VALID, Duration.ofHours(24));
        verificationCache().save("invalid@contract.example", RecipientClass.INVALID, Duration.ofSeconds(1));

        assertThat(verificationCache().find("valid@contract.example")).contains(RecipientClass.VALID);
        assertThat(verificationCache().find("invalid@contract.example")).contains(RecipientClass.INVALID);

        advance(Duration.ofSeconds(3));
        assertThat(verificationCache().find("invalid@contract.example")).isEmpty();
        assertThat(verificationCache().find("valid@contract.example")).contains(RecipientClass.VALID);
    }

    @Test
    default void aNewerAnswerReplacesTheOlder() {
        verificationCache().save("@replaced.contract.example", RecipientClass.VALID, Duration.ofHours(1));
        verificationCache().save("@replaced.contract.example", RecipientClass.INVALID, Duration.ofHours(1));

        assertThat(verificationCache().find("@replaced.contract.example")).contains(RecipientClass.INVALID);
    }

    @Test
    default void anUndecidedAnswerIsNeverStored() {
        assertThatThrownBy(() -> verificationCache().save("undecided@contract.example", RecipientClass.UNDECIDED, Duration.ofHours(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(verificationCache().find("undecided@contract.example")).isEmpty();
    }

    @Test
    default void aForgottenAnswerIsAbsentAndOthersStay() {
        verificationCache().save("forgotten@contract.example", RecipientClass.VALID, Duration.ofHours(24));
        verificationCache().save("kept@contract.example", RecipientClass.INVALID, Duration.ofHours(1));

        verificationCache().forget("forgotten@contract.example");

        assertThat(verificationCache().find("forgotten@contract.example")).isEmpty();
        assertThat(verificationCache().find("kept@contract.example")).contains(RecipientClass.INVALID);
    }

    @Test
    default void forgettingAnAbsentAnswerDoesNothing() {
        verificationCache().forget("never-saved@contract.example");

        assertThat(verificationCache().find("never-saved@contract.example")).isEmpty();
    }

    @Test
    default void anAnswerCanBeSavedAgainAfterBeingForgotten() {
        verificationCache().save("again@contract.example", RecipientClass.VALID, Duration.ofHours(1));
        verificationCache().forget("again@contract.example");
        verificationCache().save("again@contract.example", RecipientClass.INVALID, Duration.ofHours(1));

        assertThat(verificationCache().find("again@contract.example")).contains(RecipientClass.INVALID);
    }
}
