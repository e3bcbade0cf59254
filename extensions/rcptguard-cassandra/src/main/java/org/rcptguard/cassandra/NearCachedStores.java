package org.rcptguard.cassandra;

import java.time.Clock;

import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.UnknownRecipientStore;
import org.rcptguard.core.store.WhitelistStore;

/**
 * The Cassandra stores as the RCPT path uses them: each node keeps near caches with written staleness bounds
 * ({@link NearCaches}; docs/design.md, "State") and writes what the reply does not need after it. The whitelist is
 * not cached here: it is never read on the RCPT path (each node refreshes its snapshot). Closing writes what is
 * pending; it leaves the Cassandra stores open.
 */
public final class NearCachedStores implements RcptGuardStores, AutoCloseable {
    private final CassandraStores stores;
    private final DeferredWrites writes = new DeferredWrites(NearCaches.MAX_DEFERRED_WRITES);
    private final NearCachedTripletStore triplets;
    private final NearCachedClientNetworkStore clientNetworks;
    private final NearCachedUnknownRecipientStore unknownRecipients;

    public NearCachedStores(CassandraStores stores, Clock clock) {
        NearCaches caches = new NearCaches(clock);
        this.stores = stores;
        this.triplets = new NearCachedTripletStore(stores.tripletStore(), caches, writes);
        this.clientNetworks = new NearCachedClientNetworkStore(stores.clientNetworkStore(), clock, caches);
        this.unknownRecipients = new NearCachedUnknownRecipientStore(stores.unknownRecipientStore(),
            stores.limits().maxCountedUnknownRecipients(), caches);
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

    /** Not cached: one write per probe, read only by the background harvest refresh. */
    @Override
    public DomainProbeStore domainProbeStore() {
        return stores.domainProbeStore();
    }

    @Override
    public WhitelistStore whitelistStore() {
        return stores.whitelistStore();
    }

    /** Reads Cassandra itself, never a cache: the health check asks whether the store answers. */
    @Override
    public void probe() {
        stores.probe();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            clientNetworks.close();
        } finally {
            writes.close();
        }
    }
}
