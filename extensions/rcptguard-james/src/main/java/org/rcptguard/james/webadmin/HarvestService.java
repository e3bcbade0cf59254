package org.rcptguard.james.webadmin;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.rcptguard.core.harvest.HarvestState;
import org.rcptguard.core.store.RcptGuardStores;

/**
 * Harvest states as operators see and change them: those on come from this node's snapshot; one domain's tallies
 * are read from the store (a WebAdmin read, never an RCPT's). Starting or ending a harvest by hand writes an override
 * to the store: every node applies it, this one at once, the others at their next refresh (docs/design.md,
 * "Distributed harvests").
 */
public class HarvestService {
    private final HarvestState state;
    private final RcptGuardStores stores;

    @Inject
    public HarvestService(HarvestState state, RcptGuardStores stores) {
        this.state = state;
        this.stores = stores;
    }

    /** The domains under harvest, by name. */
    public List<HarvestDTO> list() {
        return state.harvests().values().stream()
            .map(HarvestDTO::new)
            .sorted(Comparator.comparing(HarvestDTO::getDomain))
            .collect(Collectors.toUnmodifiableList());
    }

    /** One domain's state, with its tallies as the store has them now. */
    public HarvestDTO of(String domain) {
        return new HarvestDTO(domain, state.harvest(domain), stores.domainProbeStore().tally(domain));
    }

    public HarvestDTO start(String domain) {
        return new HarvestDTO(state.start(domain));
    }

    /** Whether the domain was under harvest. */
    public boolean end(String domain) {
        return state.end(domain);
    }
}
