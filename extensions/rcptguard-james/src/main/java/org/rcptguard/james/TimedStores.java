package org.rcptguard.james;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.HarvestOverride;
import org.rcptguard.core.store.ProbeTally;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.UnknownRecipientStore;
import org.rcptguard.core.store.WhitelistStore;

/** The stores with every call timed: {@code rcptguard.store.<table>.<call>}. Failures are timed too, then rethrown. */
final class TimedStores implements RcptGuardStores {
    static final String PREFIX = "rcptguard.store.";

    private final RcptGuardStores stores;
    private final RcptGuardMetrics metrics;
    private final TripletStore triplets;
    private final ClientNetworkStore clientNetworks;
    private final UnknownRecipientStore unknownRecipients;
    private final WhitelistStore whitelist;
    private final DomainProbeStore domainProbes;

    TimedStores(RcptGuardStores stores, RcptGuardMetrics metrics) {
        this.stores = stores;
        this.metrics = metrics;
        this.triplets = new Triplets(stores.tripletStore());
        this.clientNetworks = new ClientNetworks(stores.clientNetworkStore());
        this.unknownRecipients = new UnknownRecipients(stores.unknownRecipientStore());
        this.whitelist = new Whitelist(stores.whitelistStore());
        this.domainProbes = new DomainProbes(stores.domainProbeStore());
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

    @Override
    public void probe() {
        metrics.time(PREFIX + "probe", stores::probe);
    }

    private final class Triplets implements TripletStore {
        private final TripletStore store;

        Triplets(TripletStore store) {
            this.store = store;
        }

        @Override
        public Optional<TripletRecord> find(Triplet triplet) {
            return metrics.time(PREFIX + "triplet.find", () -> store.find(triplet));
        }

        @Override
        public CompletableFuture<Optional<TripletRecord>> findAsync(Triplet triplet) {
            return metrics.timeAsync(PREFIX + "triplet.find", () -> store.findAsync(triplet));
        }

        @Override
        public void save(Triplet triplet, TripletRecord record, Duration ttl) {
            metrics.time(PREFIX + "triplet.save", () -> store.save(triplet, record, ttl));
        }

        @Override
        public void forget(Triplet triplet) {
            metrics.time(PREFIX + "triplet.forget", () -> store.forget(triplet));
        }
    }

    private final class ClientNetworks implements ClientNetworkStore {
        private final ClientNetworkStore store;

        ClientNetworks(ClientNetworkStore store) {
            this.store = store;
        }

        @Override
        public ClientNetworkState load(ClientNetwork clientNetwork) {
            return metrics.time(PREFIX + "network.load", () -> store.load(clientNetwork));
        }

        @Override
        public CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
            return metrics.timeAsync(PREFIX + "network.load", () -> store.loadAsync(clientNetwork));
        }

        @Override
        public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
            metrics.time(PREFIX + "network.passed", () -> store.recordPassedTriplet(clientNetwork, triplet, ttl));
        }

        @Override
        public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
            metrics.time(PREFIX + "network.penalise", () -> store.penalise(clientNetwork, penalty));
        }

        @Override
        public void liftPenalty(ClientNetwork clientNetwork) {
            metrics.time(PREFIX + "network.lift", () -> store.liftPenalty(clientNetwork));
        }
    }

    private final class UnknownRecipients implements UnknownRecipientStore {
        private final UnknownRecipientStore store;

        UnknownRecipients(UnknownRecipientStore store) {
            this.store = store;
        }

        @Override
        public int recordAndCount(ClientNetwork clientNetwork, String recipient, Duration window) {
            return metrics.time(PREFIX + "unknown.record", () -> store.recordAndCount(clientNetwork, recipient, window));
        }

        @Override
        public int count(ClientNetwork clientNetwork) {
            return metrics.time(PREFIX + "unknown.count", () -> store.count(clientNetwork));
        }

        @Override
        public void forget(ClientNetwork clientNetwork) {
            metrics.time(PREFIX + "unknown.forget", () -> store.forget(clientNetwork));
        }
    }

    private final class Whitelist implements WhitelistStore {
        private final WhitelistStore store;

        Whitelist(WhitelistStore store) {
            this.store = store;
        }

        @Override
        public List<WhitelistEntry> list() {
            return metrics.time(PREFIX + "whitelist.list", store::list);
        }

        @Override
        public void add(WhitelistEntry entry) {
            metrics.time(PREFIX + "whitelist.add", () -> store.add(entry));
        }

        @Override
        public void remove(WhitelistEntry entry) {
            metrics.time(PREFIX + "whitelist.remove", () -> store.remove(entry));
        }
    }

    private final class DomainProbes implements DomainProbeStore {
        private final DomainProbeStore store;

        DomainProbes(DomainProbeStore store) {
            this.store = store;
        }

        @Override
        public void record(DomainProbe probe) {
            metrics.time(PREFIX + "probe.record", () -> store.record(probe));
        }

        @Override
        public ProbeTally tally(String domain) {
            return metrics.time(PREFIX + "probe.tally", () -> store.tally(domain));
        }

        @Override
        public void override(HarvestOverride override) {
            metrics.time(PREFIX + "harvest.override", () -> store.override(override));
        }

        @Override
        public List<HarvestOverride> overrides() {
            return metrics.time(PREFIX + "harvest.overrides", store::overrides);
        }
    }
}
