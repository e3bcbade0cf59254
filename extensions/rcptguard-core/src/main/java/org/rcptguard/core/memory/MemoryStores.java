package org.rcptguard.core.memory;

import java.time.Clock;

import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.UnknownRecipientStore;

/** The single-node store: bounded in-memory tables, lost on restart. */
public final class MemoryStores implements RcptGuardStores {
    /** Counting unknown recipients beyond threshold + this changes nothing: the penalty has long reached its cap. */
    public static final int UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD = 64;

    private final MemoryTripletStore triplets;
    private final MemoryClientNetworkStore clientNetworks;
    private final MemoryUnknownRecipientStore unknownRecipients;

    public MemoryStores(Clock clock, RcptGuardConfiguration configuration) {
        int maxEntries = configuration.memoryMaxEntries();
        this.triplets = new MemoryTripletStore(clock, maxEntries);
        this.clientNetworks = new MemoryClientNetworkStore(clock, maxEntries, configuration.autoWhitelistPasses());
        this.unknownRecipients = new MemoryUnknownRecipientStore(clock, maxEntries,
            configuration.scanThreshold() + UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD);
    }

    @Override
    public TripletStore tripletStore() {
        return triplets;
    }

    @Override
    public ClientNetworkStore clientNetworkStore() {
        return clientNetworks;
    }

    @Override
    public UnknownRecipientStore unknownRecipientStore() {
        return unknownRecipients;
    }
}
