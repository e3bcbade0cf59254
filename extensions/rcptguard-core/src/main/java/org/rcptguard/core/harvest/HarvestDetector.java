package org.rcptguard.core.harvest;

import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.store.ProbeTally;

/**
 * The harvest rule, applied to one domain's tally at each refresh. A domain goes under harvest when more than
 * {@code harvest.unknown.threshold} distinct unknown recipients were named within the window by more than
 * {@code harvest.networks.threshold} distinct client networks. It stays there while its tally keeps above half of
 * both thresholds (so that a drip at the threshold does not turn it on and off at every refresh), and it ends at
 * the first refresh that sees less: when the probes stop, as soon as they have left the window. Each refresh that
 * keeps it extends it by one window; a node whose refreshes fail sees it end then.
 */
public final class HarvestDetector {
    private final HarvestSettings settings;

    public HarvestDetector(HarvestSettings settings) {
        this.settings = settings;
    }

    /** The domain's harvest after a refresh that read {@code tally}, given the one before it (if still on). */
    public Optional<DomainHarvest> assess(String domain, ProbeTally tally, Optional<DomainHarvest> current, Instant now) {
        Optional<DomainHarvest> on = current.filter(harvest -> harvest.isOn(now));
        boolean harvest = on.isPresent() ? above(tally, 2) : above(tally, 1);
        if (!harvest) {
            return Optional.empty();
        }
        Instant since = on.map(DomainHarvest::since).orElse(now);
        return Optional.of(new DomainHarvest(domain, tally, since, now.plus(settings.window())));
    }

    /** Whether the tally is above the thresholds divided by {@code divisor}. */
    private boolean above(ProbeTally tally, int divisor) {
        return tally.unknownRecipients() > settings.unknownThreshold() / divisor
            && tally.clientNetworks() > settings.networksThreshold() / divisor;
    }
}
