package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TripletRecordTest {
    private static final Instant FIRST_SEEN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DELAY = Duration.ofMinutes(5);
    private static final Duration RETRY_WINDOW = Duration.ofHours(12);
    private static final Duration LIFETIME = Duration.ofDays(36);

    @Test
    void aPendingTripletPassesAfterTheDelayAndIsForgottenAtTheEndOfItsRetryWindow() {
        TripletRecord pending = TripletRecord.firstSeen(FIRST_SEEN);

        assertThat(pending.passesFrom(DELAY)).isEqualTo(FIRST_SEEN.plus(DELAY));
        assertThat(pending.expiresAt(RETRY_WINDOW, LIFETIME)).isEqualTo(FIRST_SEEN.plus(RETRY_WINDOW));
    }

    @Test
    void aPassedTripletIsForgottenALifetimeAfterItsLastUse() {
        Instant lastUse = FIRST_SEEN.plus(Duration.ofDays(3));
        TripletRecord passed = TripletRecord.firstSeen(FIRST_SEEN).passed(FIRST_SEEN.plus(DELAY)).passed(lastUse);

        assertThat(passed.expiresAt(RETRY_WINDOW, LIFETIME)).isEqualTo(lastUse.plus(LIFETIME));
    }
}
