package org.rcptguard.bench.scan;

import java.util.Locale;

/**
 * How a scanner spends its sessions. Every strategy but {@link #SINGLE_PASS} comes back for what it has not learned
 * after the greylisting delay it knows (a real scanner reads it from the 4xx text or just retries), until the budget
 * is spent or nothing is left to learn.
 */
public enum Strategy {
    /** One pass over the list, 20 recipients a transaction, from one address. */
    SINGLE_PASS(20, 1, 1, false, false),
    /** Passes until done, 20 recipients a transaction, from one address. */
    MULTI_PASS(20, 1, 1, false, true),
    /** Passes with 100 recipients a transaction. */
    MANY_PER_TRANSACTION(100, 1, 1, false, true),
    /** Passes with one recipient a transaction: no mixed-recipient signal to give away. */
    ONE_PER_TRANSACTION(1, 1, 1, false, true),
    /** Passes with a new envelope sender every transaction. */
    ROTATING_SENDERS(20, 1, 1, true, true),
    /** Passes from 8 addresses of one /24. */
    SPREAD_IN_ONE_24(20, 8, 1, false, true),
    /** Passes from 8 /24s, the list split among them. */
    SPREAD_OVER_8_24S(20, 1, 8, false, true);

    private final int recipientsPerTransaction;
    private final int addressesPerNetwork;
    private final int networks;
    private final boolean rotatingSenders;
    private final boolean retries;

    Strategy(int recipientsPerTransaction, int addressesPerNetwork, int networks, boolean rotatingSenders, boolean retries) {
        this.recipientsPerTransaction = recipientsPerTransaction;
        this.addressesPerNetwork = addressesPerNetwork;
        this.networks = networks;
        this.rotatingSenders = rotatingSenders;
        this.retries = retries;
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
