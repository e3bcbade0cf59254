package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottledWarningTest {
    @Test
    void theFirstOccurrenceIsDueAndTheNextOnesWithinTheMinuteAreOnlyCounted() {
        ThrottledWarning warning = new ThrottledWarning();

        assertThat(warning.occurred()).isEqualTo(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(warning.occurred()).isZero();
        }
    }
}
