package org.rcptguard.cassandra;

import java.time.Clock;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.core.store.WhitelistStore;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;

/**
 * The Cassandra stores on one session, their keyspace and tables created. Closing closes the session only
 * when it was opened for RcptGuard ({@link RcptGuardCqlSessionFactory#open}), never a session lent by James.
 */
public final class CassandraStores implements RcptGuardStores, AutoCloseable {
    /** A network no client is counted in: {@link #probe()} reads its (empty) partition. */
    static final ClientNetwork PROBE_NETWORK = ClientNetwork.parse("0.0.0.0/32");

    private final CqlSession session;
    private final boolean ownsSession;
    private final CassandraTripletStore tripletStore;
    private final CassandraClientNetworkStore clientNetworkStore;
    private final CassandraUnknownRecipientStore unknownRecipientStore;
    private final CassandraWhitelistStore whitelistStore;
    private final CassandraDomainProbeStore domainProbeStore;
    private final CassandraTripletFeed tripletFeed;
    private final CassandraPenaltyChanges penaltyChanges;
    private final boolean tripletFilter;
    private final StoreLimits limits;

    private CassandraStores(CqlSession session, boolean ownsSession, CassandraStoreConfiguration configuration,
                            Clock clock, StoreLimits limits) {
        this.session = session;
        this.ownsSession = ownsSession;
        this.tripletStore = new CassandraTripletStore(session, configuration);
        this.penaltyChanges = new CassandraPenaltyChanges(session, configuration);
        this.clientNetworkStore = new CassandraClientNetworkStore(session, configuration, clock, limits.maxPassedTriplets(),
            penaltyChanges);
        this.unknownRecipientStore = new CassandraUnknownRecipientStore(session, configuration, clock, limits.maxCountedUnknownRecipients());
        this.whitelistStore = new CassandraWhitelistStore(session, configuration);
        this.domainProbeStore = new CassandraDomainProbeStore(session, configuration, clock, limits.harvest().window(),
            limits.harvest().maxCounted());
        this.tripletFeed = new CassandraTripletFeed(session, configuration);
        this.tripletFilter = configuration.tripletFilter();
        this.limits = limits;
    }

    /**
     * Creates RcptGuard's keyspace and tables on an existing session (e.g. James's own, in a Cassandra-backed
     * James) and prepares the stores' statements on it. {@link #close()} leaves that session open.
     */
    public static CassandraStores onSession(CqlSession session, CassandraStoreConfiguration configuration, Clock clock,
                                            StoreLimits limits) {
        RcptGuardSchema.create(session, configuration);
        return new CassandraStores(session, false, configuration, clock, limits);
    }

    /** Like {@link #onSession} on a session that RcptGuard opened for itself: {@link #close()} closes it. */
    static CassandraStores owning(CqlSession session, CassandraStoreConfiguration configuration, Clock clock,
                                  StoreLimits limits) {
        try {
            RcptGuardSchema.create(session, configuration);
            return new CassandraStores(session, true, configuration, clock, limits);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public CassandraTripletStore tripletStore() {
        return tripletStore;
    }

    CassandraTripletFeed tripletFeed() {
        return tripletFeed;
    }

    CassandraPenaltyChanges penaltyChanges() {
        return penaltyChanges;
    }

    /** {@link CassandraStoreConfiguration#tripletFilter()}. */
    boolean tripletFilter() {
        return tripletFilter;
    }

    StoreLimits limits() {
        return limits;
    }

    @Override
    public ClientNetworkStore clientNetworkStore() {
        return clientNetworkStore;
    }

    @Override
    public CassandraUnknownRecipientStore unknownRecipientStore() {
        return unknownRecipientStore;
    }

    @Override
    public WhitelistStore whitelistStore() {
        return whitelistStore;
    }

    @Override
    public DomainProbeStore domainProbeStore() {
        return domainProbeStore;
    }

    /** The client networks read of the RCPT path (same table, consistency and timeout), on a partition never written. */
    @Override
    public void probe() {
        clientNetworkStore.load(PROBE_NETWORK);
    }

    public CqlSession session() {
        return session;
    }

    @Override
    public void close() {
        if (ownsSession) {
            session.close();
        }
    }
}
