package org.rcptguard.core.store;

import java.time.Duration;

import org.rcptguard.core.ClientNetwork;

/** Unknown-recipient events per client network, the evidence of a scan. */
public interface UnknownRecipientStore {
    /**
     * Records that {@code clientNetwork} named the unknown {@code recipient} and returns how many distinct
     * unknown recipients it named within {@code window}, this one included. The same recipient again counts once.
     */
    int recordAndCount(ClientNetwork clientNetwork, String recipient, Duration window);

    /** How many distinct unknown recipients {@code clientNetwork} named within the window, without recording any. */
    int count(ClientNetwork clientNetwork);

    /** Forgets every unknown recipient {@code clientNetwork} named (with a lifted penalty: the network starts over). */
    void forget(ClientNetwork clientNetwork);
}
