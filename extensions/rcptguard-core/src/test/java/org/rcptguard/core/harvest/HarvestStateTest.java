package org.rcptguard.core.harvest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.memory.MemoryDomainProbeStore;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.HarvestOverride;
import org.rcptguard.core.store.ProbeTally;

class HarvestStateTest {
    private static final HarvestSettings SETTINGS = HarvestDetectorTest.SETTINGS;
    private final MutableClock clock = new MutableClock();
    private final MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, SETTINGS.window(), 10_000, SETTINGS.maxCounted());
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final DomainProbeStore failingStore = new DomainProbeStore() {
        @Override
        public void record(DomainProbe probe) {
            store.record(probe);
        }

        @Override
        public ProbeTally tally(String domain) {
            if (storeDown.get()) {
                throw new IllegalStateException("store down");
            }
            tallies.incrementAndGet();
            return store.tally(domain);
        }

        @Override
        public void override(HarvestOverride override) {
            failIfDown();
            store.override(override);
        }

        @Override
        public List<HarvestOverride> overrides() {
            failIfDown();
            return store.overrides();
        }

        private void failIfDown() {
            if (storeDown.get()) {
                throw new IllegalStateException("store down");
            }
        }
    };
    private final AtomicInteger tallies = new AtomicInteger();
    private final HarvestState state = new HarvestState(failingStore, new HarvestDetector(SETTINGS), SETTINGS.window(), clock);

    @Test
    void nothingIsUnderHarvestBeforeTheFirstRefresh() {
        harvest("example.com", 20, 10);

        assertThat(state.underHarvest("example.com")).isFalse();
        assertThat(state.refreshedAt()).isEmpty();
    }

    @Test
    void aRefreshPutsTheHarvestedDomainUnderHarvestAndOnlyIt() {
        harvest("example.com", 20, 10);

        state.refresh();

        assertThat(state.underHarvest("example.com")).isTrue();
        assertThat(state.underHarvest("example.org")).isFalse();
        assertThat(state.harvests()).containsOnlyKeys("example.com");
        assertThat(state.harvest("example.com").orElseThrow().tally()).isEqualTo(new ProbeTally(20, 10));
        assertThat(state.refreshedAt()).contains(clock.instant());
    }

    @Test
    void theHarvestEndsByItselfWhenTheProbesStop() {
        harvest("example.com", 20, 10);
        state.refresh();
        Instant since = clock.instant();

        clock.advance(SETTINGS.window().minusSeconds(30));
        state.refresh();
        assertThat(state.harvest("example.com").orElseThrow().since()).isEqualTo(since);

        clock.advance(Duration.ofSeconds(30));
        state.refresh();
        assertThat(state.underHarvest("example.com")).isFalse();
    }

    @Test
    void aNodeThatCannotReadTheStoreKeepsItsSnapshotUntilTheHarvestRunsOut() {
        harvest("example.com", 20, 10);
        state.refresh();
        storeDown.set(true);

        clock.advance(SETTINGS.window().minusSeconds(1));
        assertThatThrownBy(state::refresh).hasMessage("store down");
        assertThat(state.underHarvest("example.com")).isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(state.underHarvest("example.com")).isFalse();
        assertThat(state.harvests()).isEmpty();
    }

    @Test
    void aQuietDomainCostsNoRead() {
        state.refresh();

        assertThat(tallies).hasValue(0);
    }

    @Test
    void probesThroughOtherNodesCountOnceThisNodeSeesTheDomainProbed() {
        for (int i = 0; i < 20; i++) {
            // another node's probes: in the store, not seen here
            store.record(new DomainProbe("example.com", "other" + i + "@example.com", ClientNetwork.parse("10.1." + i + ".0/24")));
        }
        state.refresh();
        assertThat(state.underHarvest("example.com")).isFalse();

        state.record(new DomainProbe("example.com", "here@example.com", ClientNetwork.parse("10.2.0.0/24")));
        state.refresh();

        assertThat(state.harvest("example.com").orElseThrow().tally()).isEqualTo(new ProbeTally(21, 21));
    }

    @Test
    void aDomainProbedHereLongAgoIsNoLongerReadButOneUnderHarvestIsUntilItEnds() {
        harvest("example.com", 20, 10);
        state.refresh();
        clock.advance(SETTINGS.window().minusSeconds(1));
        state.refresh();
        assertThat(state.underHarvest("example.com")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        int before = tallies.get();

        state.refresh();
        state.refresh();

        assertThat(state.underHarvest("example.com")).isFalse();
        assertThat(tallies.get() - before).isEqualTo(1);
    }

    /** {@code recipients} unknown recipients of {@code domain}, named round-robin by {@code networks} networks. */
    private void harvest(String domain, int recipients, int networks) {
        for (int i = 0; i < recipients; i++) {
            state.record(new DomainProbe(domain, "guess" + i + "@" + domain, ClientNetwork.parse("10.0." + (i % networks) + ".0/24")));
        }
    }

    @Test
    void aHarvestStartedByHandLastsOneWindowWhateverTheTallies() {
        state.start("quiet.example");
        clock.advance(SETTINGS.window().minusSeconds(1));
        state.refresh();

        assertThat(state.underHarvest("quiet.example")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        state.refresh();
        assertThat(state.underHarvest("quiet.example")).isFalse();
    }

    @Test
    void aHarvestEndedByHandIsNotStartedAgainByItsTalliesForOneWindow() {
        harvest("example.com", 20, 10);
        state.refresh();

        assertThat(state.end("example.com")).isTrue();
        assertThat(state.underHarvest("example.com")).isFalse();
        state.refresh();
        assertThat(state.underHarvest("example.com")).as("its probes still count, but are not assessed").isFalse();
        assertThat(state.end("example.com")).isFalse();

        clock.advance(SETTINGS.window());
        harvest("example.com", 20, 10);
        state.refresh();
        assertThat(state.underHarvest("example.com")).as("a new harvest, after the window").isTrue();
    }

    /** A second node: its own harvest state on the same store. */
    private final HarvestState otherNode = new HarvestState(failingStore, new HarvestDetector(SETTINGS), SETTINGS.window(), clock);

    @Test
    void aHarvestStartedByHandOnOneNodeIsOnOnTheOthersAtTheirNextRefresh() {
        DomainHarvest started = state.start("quiet.example");
        assertThat(otherNode.underHarvest("quiet.example")).isFalse();

        otherNode.refresh();

        assertThat(otherNode.harvest("quiet.example")).hasValueSatisfying(harvest -> {
            assertThat(harvest.since()).isEqualTo(started.since());
            assertThat(harvest.until()).isEqualTo(started.until());
        });
        clock.advance(SETTINGS.window());
        otherNode.refresh();
        assertThat(otherNode.underHarvest("quiet.example")).isFalse();
    }

    @Test
    void aHarvestEndedByHandOnOneNodeEndsOnTheOthersAtTheirNextRefreshAndStaysEnded() {
        harvest("example.com", 20, 10);
        otherNode.record(new DomainProbe("example.com", "there@example.com", ClientNetwork.parse("10.3.0.0/24")));
        state.refresh();
        otherNode.refresh();
        assertThat(otherNode.underHarvest("example.com")).isTrue();

        assertThat(state.end("example.com")).isTrue();
        assertThat(otherNode.underHarvest("example.com")).as("until its refresh").isTrue();
        otherNode.refresh();
        assertThat(otherNode.underHarvest("example.com")).isFalse();

        clock.advance(SETTINGS.window().minusSeconds(1));
        harvest("example.com", 20, 10);
        otherNode.refresh();
        assertThat(otherNode.underHarvest("example.com")).as("its tallies are not assessed for one window").isFalse();
    }

    @Test
    void startingOrEndingByHandWhileTheStoreIsDownFailsAndChangesNothing() {
        harvest("example.com", 20, 10);
        state.refresh();
        storeDown.set(true);

        assertThatThrownBy(() -> state.start("quiet.example")).hasMessage("store down");
        assertThatThrownBy(() -> state.end("example.com")).hasMessage("store down");

        assertThat(state.underHarvest("quiet.example")).isFalse();
        assertThat(state.underHarvest("example.com")).isTrue();
    }
}
