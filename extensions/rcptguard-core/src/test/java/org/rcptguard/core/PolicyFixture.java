package org.rcptguard.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.rcptguard.core.harvest.HarvestDetector;
import org.rcptguard.core.harvest.HarvestState;
import org.rcptguard.core.memory.MemoryClientNetworkStore;
import org.rcptguard.core.memory.MemoryDomainProbeStore;
import org.rcptguard.core.memory.MemoryTripletStore;
import org.rcptguard.core.memory.MemoryUnknownRecipientStore;
import org.rcptguard.core.memory.MemoryWhitelistStore;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.UnknownRecipientStore;

/** A policy on the memory store with a clock the test moves, and a directory knowing alice and bob at example.com. */
public final class PolicyFixture {
    public final MutableClock clock = new MutableClock();
    public final StaticDirectory directory = new StaticDirectory("example.com").valid("alice@example.com", "bob@example.com", "abuse@example.com");
    public final RcptGuardConfiguration configuration;
    public final RcptPolicy policy;
    /** The run-time whitelist, consulted with the static one; change it with {@link SharedWhitelist#add}. */
    public final SharedWhitelist sharedWhitelist = new SharedWhitelist(new MemoryWhitelistStore(), clock);
    public final ClientNetworkStore clientNetworks;
    public final UnknownRecipientStore unknownRecipients;
    /** Every penalty an unknown recipient imposed or raised, in order. */
    public final List<Penalty> penalties = new CopyOnWriteArrayList<>();
    /** What each of those penalties is on: the client network or the identity it proved. */
    public final List<ClientNetwork> penalised = new CopyOnWriteArrayList<>();
    /** Which domains James relays, whether the DATA hook is loaded. */
    public final TestDeployment deployment = new TestDeployment();
    /** Which domains are under harvest: refreshed only when the test calls {@link HarvestState#refresh()}. */
    public final HarvestState harvestState;
    /** Told of those penalties too (the hooks' recorder). */
    public final List<PenaltyListener> penaltyListeners = new CopyOnWriteArrayList<>();

    public PolicyFixture(String... keyValues) {
        this(null, keyValues);
    }

    /** @param clientNetworks a store to use instead of the memory one (for failure tests), or null */
    public PolicyFixture(ClientNetworkStore clientNetworks, String... keyValues) {
        Properties properties = new Properties();
        properties.setProperty("greylist.delay", "5m");
        properties.setProperty("greylist.retry.window", "4h");
        properties.setProperty("greylist.lifetime", "36d");
        properties.setProperty("scan.threshold", "3");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        configuration = RcptGuardConfiguration.fromProperties(properties);
        TripletStore triplets = new MemoryTripletStore(clock, 10_000);
        ClientNetworkStore networks = clientNetworks != null ? clientNetworks
            : new MemoryClientNetworkStore(clock, 10_000, configuration.autoWhitelistPasses());
        UnknownRecipientStore unknown = new MemoryUnknownRecipientStore(clock, 10_000, 100);
        this.clientNetworks = networks;
        this.unknownRecipients = unknown;
        this.harvestState = new HarvestState(
            new MemoryDomainProbeStore(clock, configuration.harvest().window(), 100_000, configuration.harvest().maxCounted()),
            new HarvestDetector(configuration.harvest()), configuration.harvest().window(), clock);
        policy = new RcptPolicy(directory, networks, new Greylist(triplets, networks, clock, configuration),
            new ScanDetector(unknown, networks, clock, configuration), configuration, clock, sharedWhitelist::current,
            BackgroundLookups.ON_CALLER_THREAD, (request, penalised, penalty) -> {
                penalties.add(penalty);
                this.penalised.add(penalised);
                penaltyListeners.forEach(listener -> listener.penalised(request, penalised, penalty));
            }, deployment, harvestState);
    }

    /** One SMTP transaction from one client, threading RcptGuard's transaction state through its RCPTs. */
    public final class Transaction {
        private final InetAddress client;
        private final String sender;
        private final boolean authenticated;
        private TransactionState state = TransactionState.EMPTY;

        Transaction(String client, String sender, boolean authenticated) {
            this.client = address(client);
            this.sender = sender;
            this.authenticated = authenticated;
        }

        public Decision rcpt(String recipient) {
            Decision decision = policy.decide(new RcptRequest(client, authenticated, false, Mail.sender(sender), Mail.address(recipient)), state);
            state = decision.transaction();
            return decision;
        }

        public TransactionState state() {
            return state;
        }
    }

    public Transaction transaction(String client, String sender) {
        return new Transaction(client, sender, false);
    }

    public Transaction authenticatedTransaction(String client, String sender) {
        return new Transaction(client, sender, true);
    }

    /** A single-recipient transaction. */
    public Decision rcpt(String client, String sender, String recipient) {
        return transaction(client, sender).rcpt(recipient);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
