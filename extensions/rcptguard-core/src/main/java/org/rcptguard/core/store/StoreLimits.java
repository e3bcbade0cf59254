package org.rcptguard.core.store;

import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.harvest.HarvestSettings;

/**
 * How many rows a count reads at most: counting stops where the policy stops asking, so each count is one bounded
 * read of one partition.
 */
public final class StoreLimits {
    /** Unknown recipients counted beyond the scan threshold: each one still raises the penalty level. */
    public static final int UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD = 64;

    private final int maxPassedTriplets;
    private final int maxCountedUnknownRecipients;
    private final HarvestSettings harvest;

    /** With the default harvest settings. */
    public StoreLimits(int maxPassedTriplets, int maxCountedUnknownRecipients) {
        this(maxPassedTriplets, maxCountedUnknownRecipients, HarvestSettings.DEFAULTS);
    }

    public StoreLimits(int maxPassedTriplets, int maxCountedUnknownRecipients, HarvestSettings harvest) {
        if (maxPassedTriplets < 0 || maxCountedUnknownRecipients < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxPassedTriplets + ", " + maxCountedUnknownRecipients);
        }
        this.maxPassedTriplets = maxPassedTriplets;
        this.maxCountedUnknownRecipients = maxCountedUnknownRecipients;
        this.harvest = harvest;
    }

    /** The auto-whitelist threshold, and the scan threshold plus {@value #UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD}. */
    public static StoreLimits of(RcptGuardConfiguration configuration) {
        return new StoreLimits(configuration.autoWhitelistPasses(),
            configuration.scanThreshold() + UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD, configuration.harvest());
    }

    /** The auto-whitelist threshold (0: auto-whitelist off, one row is still read). */
    public int maxPassedTriplets() {
        return maxPassedTriplets;
    }

    public int maxCountedUnknownRecipients() {
        return maxCountedUnknownRecipients;
    }

    /** The domain-probe table's window (how long a probe lives) and how far a tally counts. */
    public HarvestSettings harvest() {
        return harvest;
    }

    @Override
    public String toString() {
        return "StoreLimits{maxPassedTriplets=" + maxPassedTriplets + ", maxCountedUnknownRecipients=" + maxCountedUnknownRecipients + "}";
    }
}
