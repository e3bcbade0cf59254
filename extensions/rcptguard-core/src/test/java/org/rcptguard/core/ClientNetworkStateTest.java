package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ClientNetworkStateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aNetworkIsAutoWhitelistedFromTheRequiredPassesOnUnlessTheSettingIsZero() {
        assertThat(new ClientNetworkState(4, Optional.empty()).isAutoWhitelisted(5)).isFalse();
        assertThat(new ClientNetworkState(5, Optional.empty()).isAutoWhitelisted(5)).isTrue();
        assertThat(new ClientNetworkState(6, Optional.empty()).isAutoWhitelisted(5)).isTrue();
        assertThat(new ClientNetworkState(100, Optional.empty()).isAutoWhitelisted(0)).as("0 turns it off").isFalse();
        assertThat(ClientNetworkState.UNKNOWN.isAutoWhitelisted(1)).isFalse();
    }

    @Test
    void aPenaltyRunsUntilItsEnd() {
        Penalty penalty = new Penalty(2, NOW.plusSeconds(60));
        ClientNetworkState state = new ClientNetworkState(0, Optional.of(penalty));

        assertThat(state.penaltyActiveAt(NOW)).contains(penalty);
        assertThat(state.penaltyActiveAt(NOW.plusSeconds(59))).contains(penalty);
        assertThat(state.penaltyActiveAt(NOW.plusSeconds(60))).isEmpty();
        assertThat(ClientNetworkState.UNKNOWN.penaltyActiveAt(NOW)).isEmpty();
    }
}
