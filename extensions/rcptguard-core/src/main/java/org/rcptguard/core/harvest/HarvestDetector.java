package org.rcptguard.core.harvest;

import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.store.ProbeTally;

/**
 * The harvest rule, applied to one domain's tally at each refresh. A domain goes under harvest when more than
 * {@code harvest.unknown.threshold} distinct unknown recipients were named within the window by more than
 * {@code harvest.networks.threshold} distinct client networks. It stays there while its tally keeps above both, and
 * ends at the first refresh that sees less: when the probes stop, as soon as they have left the window. (No
 * hysteresis: the busiest legitimate background comes within a tenth of the recipient threshold, so a lower bar to
 * stay on would keep a harvest on all day.) Each refresh that keeps it extends it by one window; a node whose
 * refreshes fail sees it end then.
 */
public final class HarvestDetector {
    private final HarvestSettings settings;

    public HarvestDetector(HarvestSettings settings) {
        this.settings = settings;
    }

    /** The domain's harvest after a refresh that read {@code tally}, given the one before it (if still on). */
    public Optional<DomainHarvest> assess(String domain, ProbeTally tally, Optional<DomainHarvest> current, Instant now) {
        if (tally.unknownRecipients() <= settings.unknownThreshold() || tally.clientNetworks() <= settings.networksThreshold()) {
            return Optional.empty();
        }
        Instant since = current.filter(harvest -> harvest.isOn(now)).map(DomainHarvest::since).orElse(now);
        return Optional.of(new DomainHarvest(domain, tally, since, now.plus(settings.window())));
    }
}
