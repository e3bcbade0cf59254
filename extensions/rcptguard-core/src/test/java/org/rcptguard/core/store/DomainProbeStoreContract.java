package org.rcptguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;

/** What every {@link DomainProbeStore} does, run against each implementation. */
public interface DomainProbeStoreContract {
    ClientNetwork NETWORK = ClientNetwork.parse("192.0.2.0/24");
    ClientNetwork OTHER_NETWORK = ClientNetwork.parse("198.51.100.0/24");
    String DOMAIN = "example.com";

    /** A store made for {@link #window()}, counting up to {@link #maxCounted()}. */
    DomainProbeStore domainProbeStore();

    /** The window the store was made for; short, for stores that expire in real time. */
    Duration window();

    int maxCounted();

    Instant now();

    void advance(Duration duration);

    /** The overrides of {@code domain} in force (each test names its own domains: overrides share one partition). */
    private List<HarvestOverride> overridesOf(String domain) {
        return domainProbeStore().overrides().stream().filter(override -> override.domain().equals(domain))
            .collect(Collectors.toList());
    }

    private HarvestOverride override(String domain, HarvestOverride.Kind kind) {
        Instant since = now().truncatedTo(ChronoUnit.MILLIS);
        return new HarvestOverride(domain, kind, since, since.plus(window()));
    }

    @Test
    default void aDomainWithoutProbesTalliesNothing() {
        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(ProbeTally.NONE);
    }

    @Test
    default void distinctRecipientsAndTheNetworksThatNamedThemAddUp() {
        domainProbeStore().record(new DomainProbe(DOMAIN, "a@example.com", NETWORK));
        domainProbeStore().record(new DomainProbe(DOMAIN, "b@example.com", NETWORK));
        domainProbeStore().record(new DomainProbe(DOMAIN, "c@example.com", OTHER_NETWORK));

        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(new ProbeTally(3, 2));
    }

    @Test
    default void theSameProbeAgainCountsOnce() {
        domainProbeStore().record(new DomainProbe(DOMAIN, "a@example.com", NETWORK));
        domainProbeStore().record(new DomainProbe(DOMAIN, "A@Example.com", NETWORK));

        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(new ProbeTally(1, 1));
    }

    @Test
    default void oneRecipientNamedByTwoNetworksIsOneRecipientAndTwoNetworks() {
        domainProbeStore().record(new DomainProbe(DOMAIN, "a@example.com", NETWORK));
        domainProbeStore().record(new DomainProbe(DOMAIN, "a@example.com", OTHER_NETWORK));

        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(new ProbeTally(1, 2));
    }

    @Test
    default void domainsAreTalliedApart() {
        domainProbeStore().record(new DomainProbe(DOMAIN, "a@example.com", NETWORK));
        domainProbeStore().record(new DomainProbe("Example.org", "a@example.org", OTHER_NETWORK));

        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(new ProbeTally(1, 1));
        assertThat(domainProbeStore().tally("example.org")).isEqualTo(new ProbeTally(1, 1));
    }

    @Test
    default void talliesStopAtTheLimit() {
        for (int i = 0; i < maxCounted() + 5; i++) {
            domainProbeStore().record(new DomainProbe(DOMAIN, "u" + i + "@example.com", ClientNetwork.parse("10.0." + i + ".0/24")));
        }

        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(new ProbeTally(maxCounted(), maxCounted()));
    }

    @Test
    default void probesStillCountWithinTheWindow() {
        domainProbeStore().record(new DomainProbe(DOMAIN, "a@example.com", NETWORK));

        advance(window().dividedBy(2));

        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(new ProbeTally(1, 1));
    }

    /** A store grouping probes by time keeps them at most one time bucket (a fraction of the window) longer. */
    @Test
    default void probesLongPastTheWindowNoLongerCount() {
        domainProbeStore().record(new DomainProbe(DOMAIN, "a@example.com", NETWORK));

        advance(window().multipliedBy(2).plusSeconds(2));
        domainProbeStore().record(new DomainProbe(DOMAIN, "b@example.com", OTHER_NETWORK));

        assertThat(domainProbeStore().tally(DOMAIN)).isEqualTo(new ProbeTally(1, 1));
    }

    @Test
    default void anOverrideIsReadBackUntilItEnds() {
        HarvestOverride started = override("started.example", HarvestOverride.Kind.START);
        domainProbeStore().override(started);

        assertThat(overridesOf("started.example")).containsExactly(started);

        advance(window().plusSeconds(2));
        assertThat(overridesOf("started.example")).isEmpty();
    }

    @Test
    default void aLaterOverrideOfADomainReplacesTheOneBefore() {
        domainProbeStore().override(override("replaced.example", HarvestOverride.Kind.START));
        HarvestOverride ended = override("replaced.example", HarvestOverride.Kind.END);
        domainProbeStore().override(ended);
        HarvestOverride other = override("other.example", HarvestOverride.Kind.START);
        domainProbeStore().override(other);

        assertThat(overridesOf("replaced.example")).containsExactly(ended);
        assertThat(overridesOf("other.example")).containsExactly(other);
    }
}
