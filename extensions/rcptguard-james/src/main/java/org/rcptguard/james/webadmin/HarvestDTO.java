package org.rcptguard.james.webadmin;

import java.util.Optional;

import org.rcptguard.core.harvest.DomainHarvest;
import org.rcptguard.core.store.ProbeTally;

/**
 * One governed domain's harvest state as WebAdmin shows it: whether it is under harvest on this node, since and
 * until when, and the distinct unknown recipients and client networks counted within the window.
 */
public class HarvestDTO {
    private final String domain;
    private final boolean underHarvest;
    private final int unknownRecipients;
    private final int networks;
    private final String since;
    private final String until;

    HarvestDTO(DomainHarvest harvest) {
        this(harvest.domain(), Optional.of(harvest), harvest.tally());
    }

    HarvestDTO(String domain, Optional<DomainHarvest> harvest, ProbeTally tally) {
        this.domain = domain;
        this.underHarvest = harvest.isPresent();
        this.unknownRecipients = tally.unknownRecipients();
        this.networks = tally.clientNetworks();
        this.since = harvest.map(on -> on.since().toString()).orElse(null);
        this.until = harvest.map(on -> on.until().toString()).orElse(null);
    }

    public String getDomain() {
        return domain;
    }

    public boolean isUnderHarvest() {
        return underHarvest;
    }

    public int getUnknownRecipients() {
        return unknownRecipients;
    }

    public int getNetworks() {
        return networks;
    }

    public String getSince() {
        return since;
    }

    public String getUntil() {
        return until;
    }
}
