package org.rcptguard.core.store;

/**
 * What a domain's probes within the harvest window add up to: distinct unknown recipients, and distinct client
 * networks that named them, each counted up to the store's limit.
 */
public final class ProbeTally {
    public static final ProbeTally NONE = new ProbeTally(0, 0);

    private final int unknownRecipients;
    private final int clientNetworks;

    public ProbeTally(int unknownRecipients, int clientNetworks) {
        if (unknownRecipients < 0 || clientNetworks < 0) {
            throw new IllegalArgumentException("counts are never negative: " + unknownRecipients + " recipients, " + clientNetworks + " networks");
        }
        this.unknownRecipients = unknownRecipients;
        this.clientNetworks = clientNetworks;
    }

    public int unknownRecipients() {
        return unknownRecipients;
    }

    public int clientNetworks() {
        return clientNetworks;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeTally && unknownRecipients == ((ProbeTally) o).unknownRecipients
            && clientNetworks == ((ProbeTally) o).clientNetworks;
    }

    @Override
    public int hashCode() {
        return 31 * unknownRecipients + clientNetworks;
    }

    @Override
    public String toString() {
        return "ProbeTally{unknownRecipients=" + unknownRecipients + ", clientNetworks=" + clientNetworks + "}";
    }
}
