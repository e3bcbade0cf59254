package org.rcptguard.bench.scan;

import java.util.Locale;

/**
 * How a scanner spends its sessions. Every strategy but {@link #SINGLE_PASS} comes back for what it has not learned
 * after the greylisting delay it knows (a real scanner reads it from the 4xx text or just retries), until the budget
 * is spent or nothing is left to learn.
 */
public enum Strategy {
    /** One pass over the list, 20 recipients a transaction, from one address. */
    SINGLE_PASS(20, 1, 1, false, false, 0, 1),
    /** Passes until done, 20 recipients a transaction, from one address. */
    MULTI_PASS(20, 1, 1, false, true, 0, 1),
    /** Passes with 100 recipients a transaction. */
    MANY_PER_TRANSACTION(100, 1, 1, false, true, 0, 1),
    /** Passes with one recipient a transaction: no mixed-recipient signal to give away. */
    ONE_PER_TRANSACTION(1, 1, 1, false, true, 0, 1),
    /** Passes with a new envelope sender every transaction. */
    ROTATING_SENDERS(20, 1, 1, true, true, 0, 1),
    /** Passes from 8 addresses of one /24. */
    SPREAD_IN_ONE_24(20, 8, 1, false, true, 0, 1),
    /** Passes from 8 /24s, the list split among them. */
    SPREAD_OVER_8_24S(20, 1, 8, false, true, 0, 1),
    /**
     * The informed scanner: knows the scan threshold (10) and window, so tries 10 new candidates, one a transaction,
     * retries them until learned, and waits until they have left the window before the next 10; it never names
     * more unknown recipients than a window allows.
     */
    BELOW_THRESHOLD(1, 1, 1, false, true, 10, 1),
    /**
     * Passes from one address, 5 recipients a transaction, 16 sessions at once: what defeats a per-session tarpit (Postfix's error sleep
     * holds one session, not the client).
     */
    PARALLEL_SESSIONS(5, 1, 1, false, true, 0, 16),
    /**
     * A botnet of 10 /24s, each naming 10 candidates a window (the scan threshold, never above it), one a transaction,
     * retried until learned; what a network named stays with it, so its retries are its own triplets.
     */
    BOTNET_10(1, 1, 10, false, true, 100, 4),
    /** The same botnet with 100 /24s: a thousand candidates a window. */
    BOTNET_100(1, 1, 100, false, true, 1000, 8),
    /** The same botnet with 250 /24s. */
    BOTNET_250(1, 1, 250, false, true, 2500, 8),
    /** 250 /24s naming one candidate each a window: every network far below any per-network threshold. */
    ONE_PER_NETWORK(1, 1, 250, false, true, 250, 8),
    /** A slow drip: 100 /24s sharing 20 new candidates a window, below any cluster-wide rate a domain could alarm at. */
    SLOW_DRIP(1, 1, 100, false, true, 20, 4);

    private final int recipientsPerTransaction;
    private final int addressesPerNetwork;
    private final int networks;
    private final boolean rotatingSenders;
    private final boolean retries;
    private final int newCandidatesPerWindow;
    private final int parallelSessions;

    Strategy(int recipientsPerTransaction, int addressesPerNetwork, int networks, boolean rotatingSenders, boolean retries,
             int newCandidatesPerWindow, int parallelSessions) {
        this.recipientsPerTransaction = recipientsPerTransaction;
        this.addressesPerNetwork = addressesPerNetwork;
        this.networks = networks;
        this.rotatingSenders = rotatingSenders;
        this.retries = retries;
        this.newCandidatesPerWindow = newCandidatesPerWindow;
        this.parallelSessions = parallelSessions;
    }

    /** How many sessions the scanner holds open at once. */
    public int parallelSessions() {
        return parallelSessions;
    }

    /** How many candidates not tried before a scan window may bring in (0: the whole list at once). */
    public int newCandidatesPerWindow() {
        return newCandidatesPerWindow;
    }

    public int recipientsPerTransaction() {
        return recipientsPerTransaction;
    }

    public int addressesPerNetwork() {
        return addressesPerNetwork;
    }

    public int networks() {
        return networks;
    }

    public boolean rotatingSenders() {
        return rotatingSenders;
    }

    public boolean retries() {
        return retries;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
