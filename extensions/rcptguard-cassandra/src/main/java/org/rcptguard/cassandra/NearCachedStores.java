package org.rcptguard.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.UnknownRecipientStore;
import org.rcptguard.core.store.WhitelistStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.cql.BoundStatement;

/**
 * The Cassandra stores as the RCPT path uses them: each node keeps near caches with written staleness bounds
 * ({@link NearCaches}; docs/design.md, "State") and writes what the reply does not need after it. The whitelist is
 * not cached here: it is never read on the RCPT path (each node refreshes its snapshot). Closing writes what is
 * pending; it leaves the Cassandra stores open.
 */
public final class NearCachedStores implements RcptGuardStores, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(NearCachedStores.class);

    private final CassandraStores stores;
    private final DeferredWrites<BoundStatement> writes;
    private final Optional<SharedTripletFilter> tripletFilter;
    private final NearCachedTripletStore triplets;
    private final NearCachedClientNetworkStore clientNetworks;
    private final NearCachedUnknownRecipientStore unknownRecipients;

    /**
     * @param greylistDelay the greylist's first-contact delay: the triplet filter answers only when it is at least
     *                      {@link SharedTripletFilter#MIN_DELAY}
     */
    public NearCachedStores(CassandraStores stores, Clock clock, Duration greylistDelay) {
        NearCaches caches = new NearCaches(clock);
        this.stores = stores;
        this.writes = new DeferredWrites<>(stores.tripletStore()::saveAll, NearCaches.MAX_DEFERRED_WRITES,
            NearCaches.MAX_WRITES_PER_REQUEST, NearCaches.MAX_DEFERRED_REQUESTS);
        this.tripletFilter = tripletFilter(stores, clock, greylistDelay);
        this.triplets = new NearCachedTripletStore(stores.tripletStore(), caches, writes, tripletFilter);
        this.clientNetworks = new NearCachedClientNetworkStore(stores.clientNetworkStore(), clock, caches,
            PenaltyChanges.start(stores.penaltyChanges(), clock));
        this.unknownRecipients = new NearCachedUnknownRecipientStore(stores.unknownRecipientStore(),
            stores.limits().maxCountedUnknownRecipients(), caches);
    }

    private static Optional<SharedTripletFilter> tripletFilter(CassandraStores stores, Clock clock, Duration greylistDelay) {
        if (!stores.tripletFilter()) {
            return Optional.empty();
        }
        if (greylistDelay.compareTo(SharedTripletFilter.MIN_DELAY) < 0) {
            LOGGER.info("RcptGuard's triplet filter is not used: the greylist delay {} is shorter than {}, every first contact"
                + " is read", RcptGuardSettings.format(greylistDelay), RcptGuardSettings.format(SharedTripletFilter.MIN_DELAY));
            return Optional.empty();
        }
        return Optional.of(SharedTripletFilter.start(stores.tripletFeed(), clock));
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

    /** Whether this node's triplet filter has scanned the greylist: for tests. */
    boolean tripletFilterIsWhole() {
        return tripletFilter.map(SharedTripletFilter::isWhole).orElse(false);
    }

    /** Whether this node's triplet filter answers first contacts now: scanned and current. */
    public boolean tripletFilterAnswers() {
        return tripletFilter.map(SharedTripletFilter::answers).orElse(false);
    }

    /** The entries of this node's triplet filter (0 without one). */
    public int tripletFilterEntries() {
        return tripletFilter.map(SharedTripletFilter::entries).orElse(0);
    }

    /** Whether this node reads the other nodes' penalty changes now: client networks are then served for up to 10 s. */
    public boolean penaltyChangesCurrent() {
        return clientNetworks.penaltyChangesCurrent();
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
            try {
                writes.close();
            } finally {
                if (tripletFilter.isPresent()) {
                    tripletFilter.get().close();
                }
            }
        }
    }
}
