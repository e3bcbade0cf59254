package org.rcptguard.core.store;

import java.util.List;

/**
 * Unknown-recipient probes per governed domain, over every client network and every node: the evidence of a
 * distributed harvest (docs/design.md, "Distributed harvests"). Each store is made for one harvest window: a probe
 * counts for at least the window after it was recorded, and at most one bucket longer in a store that groups probes
 * by time.
 *
 * <p>{@link #record} is the RCPT path's only cost, one write; {@link #tally} is read in the background only, by each
 * node's periodic refresh of its harvest state.
 *
 * <p>It also holds operators' {@link HarvestOverride}s, so that a harvest started or ended by hand is started or
 * ended on every node, each seeing it at its next refresh.
 */
public interface DomainProbeStore {
    /** Records the probe: one write, no read. The same probe again within the window changes no count. */
    void record(DomainProbe probe);

    /**
     * The distinct unknown recipients of {@code domain} named within the window, and the distinct client networks
     * that named them, each counted up to the store's limit.
     */
    ProbeTally tally(String domain);

    /** Records an operator's override of its domain's harvest state, replacing the one before: one write, lasting until it ends. */
    void override(HarvestOverride override);

    /** The overrides in force, at most one per domain (read in the background and by WebAdmin only). */
    List<HarvestOverride> overrides();
}
