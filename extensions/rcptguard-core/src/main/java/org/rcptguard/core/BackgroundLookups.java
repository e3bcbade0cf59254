package org.rcptguard.core;

/**
 * Where the policy sends a directory look-up whose answer the reply does not need: before a triplet has passed the
 * reply is the same deferral whatever the recipient, and the look-up only feeds scan detection (docs/design.md,
 * "No oracle before greylisting", "Scanning costs").
 */
public interface BackgroundLookups {
    /** Runs each look-up at once, on the caller's thread: for tools and tests that want the count settled. */
    BackgroundLookups ON_CALLER_THREAD = (domain, network, lookup) -> lookup.run();

    /**
     * Runs {@code lookup} later, or never when the recipient domain's directory is saturated; never waits.
     *
     * @param domain  the recipient's domain: look-ups of one directory never queue behind another's
     * @param network the client network that asked: one network's flood cannot starve another's look-ups
     */
    void submit(String domain, ClientNetwork network, Runnable lookup);
}
