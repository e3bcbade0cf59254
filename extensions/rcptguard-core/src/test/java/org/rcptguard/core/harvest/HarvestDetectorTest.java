package org.rcptguard.core.harvest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.store.ProbeTally;

class HarvestDetectorTest {
    static final HarvestSettings SETTINGS = new HarvestSettings(Duration.ofHours(1), 10, 4, Duration.ofSeconds(30), 1, 3);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final HarvestDetector detector = new HarvestDetector(SETTINGS);

    @Test
    void aDomainGoesUnderHarvestWhenBothCountsExceedTheirThresholds() {
        ProbeTally tally = new ProbeTally(11, 5);

        assertThat(detector.assess("example.com", tally, Optional.empty(), NOW))
            .contains(new DomainHarvest("example.com", tally, NOW, NOW.plus(SETTINGS.window())));
    }

    @Test
    void manyUnknownRecipientsFromFewNetworksAreNoHarvest() {
        // a mailing list with old members, or one scanner: per-network scan detection is there for it
        assertThat(detector.assess("example.com", new ProbeTally(500, 4), Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void manyNetworksNamingFewUnknownRecipientsAreNoHarvest() {
        // a stale address that many senders still write to
        assertThat(detector.assess("example.com", new ProbeTally(10, 200), Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void aRefreshThatStillSeesTheHarvestKeepsItsStartAndExtendsIt() {
        DomainHarvest started = detector.assess("example.com", new ProbeTally(11, 5), Optional.empty(), NOW).orElseThrow();
        Instant later = NOW.plusSeconds(30);

        assertThat(detector.assess("example.com", new ProbeTally(40, 20), Optional.of(started), later))
            .contains(new DomainHarvest("example.com", new ProbeTally(40, 20), NOW, later.plus(SETTINGS.window())));
    }

    @Test
    void aHarvestEndsAtTheFirstRefreshThatSeesTheProbesGone() {
        DomainHarvest started = detector.assess("example.com", new ProbeTally(11, 5), Optional.empty(), NOW).orElseThrow();

        assertThat(detector.assess("example.com", new ProbeTally(5, 2), Optional.of(started), NOW.plusSeconds(30))).isEmpty();
    }

    @Test
    void aHarvestThatEndedStartsAfreshWhenTheProbesComeBack() {
        DomainHarvest old = detector.assess("example.com", new ProbeTally(11, 5), Optional.empty(), NOW).orElseThrow();
        Instant later = old.until().plusSeconds(1);

        assertThat(detector.assess("example.com", new ProbeTally(11, 5), Optional.of(old), later).map(DomainHarvest::since))
            .contains(later);
    }
}
