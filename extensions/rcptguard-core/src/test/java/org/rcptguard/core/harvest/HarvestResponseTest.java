package org.rcptguard.core.harvest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.memory.MemoryDomainProbeStore;
import org.rcptguard.core.store.DomainProbe;

class HarvestResponseTest {
    private static final HarvestSettings SETTINGS = HarvestDetectorTest.SETTINGS;
    private static final Duration DELAY = Duration.ofMinutes(5);
    private static final ClientNetworkState WITHOUT_REPUTATION = ClientNetworkState.UNKNOWN;
    private static final ClientNetworkState WITH_REPUTATION = new ClientNetworkState(1, Optional.empty());

    private final MutableClock clock = new MutableClock();
    private final MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, SETTINGS.window(), 10_000, SETTINGS.maxCounted());
    private final HarvestState state = new HarvestState(store, new HarvestDetector(SETTINGS), SETTINGS.window(), clock);
    private final HarvestResponse response = new HarvestResponse(state, SETTINGS, 10, DELAY);

    @BeforeEach
    void harvestExampleCom() {
        for (int i = 0; i < 20; i++) {
            state.record(new DomainProbe("example.com", "guess" + i + "@example.com", ClientNetwork.parse("10.0." + (i % 10) + ".0/24")));
        }
        state.refresh();
    }

    @Test
    void aNetworkWithoutReputationGetsTheHarvestThresholdAndALongerDelay() {
        assertThat(response.scanThreshold("example.com", WITHOUT_REPUTATION)).isEqualTo(1);
        assertThat(response.greylistDelay("example.com", WITHOUT_REPUTATION)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aNetworkWithReputationIsUntouched() {
        assertThat(response.scanThreshold("example.com", WITH_REPUTATION)).isEqualTo(10);
        assertThat(response.greylistDelay("example.com", WITH_REPUTATION)).isEqualTo(DELAY);
    }

    @Test
    void anotherDomainIsUntouched() {
        assertThat(response.scanThreshold("example.org", WITHOUT_REPUTATION)).isEqualTo(10);
        assertThat(response.greylistDelay("example.org", WITHOUT_REPUTATION)).isEqualTo(DELAY);
    }

    @Test
    void everythingIsOrdinaryAgainOnceTheHarvestEnded() {
        clock.advance(SETTINGS.window());
        state.refresh();

        assertThat(response.tightened("example.com", WITHOUT_REPUTATION)).isFalse();
        assertThat(response.greylistDelay("example.com", WITHOUT_REPUTATION)).isEqualTo(DELAY);
    }

    @Test
    void aHarvestNeverLoosensScanDetection() {
        HarvestResponse strict = new HarvestResponse(state, SETTINGS, 0, DELAY);

        assertThat(strict.scanThreshold("example.com", WITHOUT_REPUTATION)).isZero();
    }
}
