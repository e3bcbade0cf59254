package org.rcptguard.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.HarvestOverride;
import org.rcptguard.core.store.ProbeTally;

/** The bounds of the memory store, which the contract leaves open. */
class MemoryDomainProbeStoreTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void aMillionProbesAtOneDomainHoldOnlyWhatATallyCounts() {
        MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, Duration.ofHours(1), 10_000, 400);

        ClientNetwork[] networks = new ClientNetwork[250];
        for (int n = 0; n < networks.length; n++) {
            networks[n] = ClientNetwork.parse("10." + n + ".0.0/24");
        }
        for (int i = 0; i < 1_000_000; i++) {
            store.record(new DomainProbe("example.com", "u" + i + "@example.com", networks[i % networks.length]));
        }

        assertThat(store.size()).isEqualTo(400);
        assertThat(store.tally("example.com")).isEqualTo(new ProbeTally(400, 250));
    }

    @Test
    void domainsBeyondTheCapEvictTheOneWrittenLongestAgo() {
        MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, Duration.ofHours(1), 1000, 100);
        ClientNetwork network = ClientNetwork.parse("192.0.2.0/24");
        for (int d = 0; d < 10; d++) {
            store.record(new DomainProbe("d" + d + ".example", "a@d" + d + ".example", network));
        }
        store.record(new DomainProbe("d0.example", "b@d0.example", network));

        store.record(new DomainProbe("d10.example", "a@d10.example", network));

        assertThat(store.tally("d0.example")).isEqualTo(new ProbeTally(2, 1));
        assertThat(store.tally("d1.example")).isEqualTo(ProbeTally.NONE);
        assertThat(store.size()).isLessThanOrEqualTo(1000);
    }

    @Test
    void expiredProbesAreDroppedAsNewOnesArrive() {
        MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, Duration.ofMinutes(10), 10_000, 1000);
        ClientNetwork network = ClientNetwork.parse("192.0.2.0/24");
        for (int i = 0; i < 500; i++) {
            store.record(new DomainProbe("example.com", "u" + i + "@example.com", network));
        }

        clock.advance(Duration.ofMinutes(10));
        store.record(new DomainProbe("example.com", "late@example.com", network));

        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void overridesAreBoundedLikeTheDomainsTheirOldestGoingFirst() {
        MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, Duration.ofHours(1), 1000, 100);
        for (int d = 0; d < 25; d++) {
            store.override(new HarvestOverride("d" + d + ".example", HarvestOverride.Kind.START, clock.instant(),
                clock.instant().plus(Duration.ofHours(1))));
        }

        assertThat(store.overrides()).hasSize(10);
        assertThat(store.overrides().get(0).domain()).isEqualTo("d15.example");
    }
}
