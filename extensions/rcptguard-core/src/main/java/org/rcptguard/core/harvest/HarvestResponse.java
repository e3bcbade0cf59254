package org.rcptguard.core.harvest;

import java.time.Duration;

import org.rcptguard.core.ClientNetworkState;

/**
 * What a domain under harvest changes for one client network (docs/design.md, "Distributed harvests"). A network
 * without reputation (it has passed no triplet to a valid recipient) gets {@code harvest.scan.threshold} and its
 * first-contact delay multiplied by {@code harvest.delay.factor}; a network with reputation, and any network while
 * the domain is not under harvest, gets the ordinary values. Trusted clients never get this far, and an
 * auto-whitelisted network has reputation. Reads this node's harvest snapshot only: no I/O.
 */
public final class HarvestResponse {
    private final HarvestState state;
    private final int harvestScanThreshold;
    private final int delayFactor;
    private final int scanThreshold;
    private final Duration delay;

    /**
     * @param scanThreshold the ordinary {@code scan.threshold}
     * @param delay         the ordinary {@code greylist.delay}
     */
    public HarvestResponse(HarvestState state, HarvestSettings settings, int scanThreshold, Duration delay) {
        this.state = state;
        // a harvest never loosens scan detection
        this.harvestScanThreshold = Math.min(settings.scanThreshold(), scanThreshold);
        this.delayFactor = settings.delayFactor();
        this.scanThreshold = scanThreshold;
        this.delay = delay;
    }

    /** The scan threshold of {@code network} for a recipient of {@code domain} (lower case). */
    public int scanThreshold(String domain, ClientNetworkState network) {
        return tightened(domain, network) ? harvestScanThreshold : scanThreshold;
    }

    /** The greylisting delay a first contact from {@code network} to a recipient of {@code domain} must wait. */
    public Duration greylistDelay(String domain, ClientNetworkState network) {
        return tightened(domain, network) ? delay.multipliedBy(delayFactor) : delay;
    }

    /** Whether the harvest's response applies: the domain is under harvest and the network has no reputation. */
    public boolean tightened(String domain, ClientNetworkState network) {
        return network.passedTriplets() == 0 && state.underHarvest(domain);
    }
}
