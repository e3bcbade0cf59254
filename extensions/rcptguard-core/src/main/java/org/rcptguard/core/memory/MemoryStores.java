package org.rcptguard.core.memory;

import java.time.Clock;

import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.core.store.StoreLimits;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.UnknownRecipientStore;
import org.rcptguard.core.store.WhitelistStore;

/** The single-node store: bounded in-memory tables, lost on restart. */
public final class MemoryStores implements RcptGuardStores {
    private final MemoryTripletStore triplets;
    private final MemoryClientNetworkStore clientNetworks;
    private final MemoryUnknownRecipientStore unknownRecipients;
    private final MemoryWhitelistStore whitelist = new MemoryWhitelistStore();
    private final MemoryDomainProbeStore domainProbes;

    public MemoryStores(Clock clock, RcptGuardConfiguration configuration) {
        int maxEntries = configuration.memoryMaxEntries();
        StoreLimits limits = StoreLimits.of(configuration);
        this.triplets = new MemoryTripletStore(clock, maxEntries);
        this.clientNetworks = new MemoryClientNetworkStore(clock, maxEntries, limits.maxPassedTriplets());
        this.unknownRecipients = new MemoryUnknownRecipientStore(clock, maxEntries, limits.maxCountedUnknownRecipients());
        this.domainProbes = new MemoryDomainProbeStore(clock, limits.harvest().window(), maxEntries, limits.harvest().maxCounted());
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

    @Override
    public WhitelistStore whitelistStore() {
        return whitelist;
    }

    @Override
    public DomainProbeStore domainProbeStore() {
        return domainProbes;
    }

    /** Memory always answers. */
    @Override
    public void probe() {
    }
}
