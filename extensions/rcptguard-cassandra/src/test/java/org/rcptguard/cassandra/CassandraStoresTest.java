package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.ClientNetworkStoreContract;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.DomainProbeStoreContract;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.TripletStoreContract;
import org.rcptguard.core.store.UnknownRecipientStore;
import org.rcptguard.core.store.UnknownRecipientStoreContract;
import org.rcptguard.core.store.WhitelistStore;
import org.rcptguard.core.store.WhitelistStoreContract;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.QueryTrace;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.TraceEvent;

/**
 * The store contracts against a real Cassandra: real time (the contracts' {@code advance} sleeps, so Cassandra's
 * own TTL expiry is what they see), every test on truncated tables.
 */
class CassandraStoresTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final int PASSED_TRIPLETS_LIMIT = 10;
    static final int UNKNOWN_RECIPIENTS_LIMIT = 20;

    static CqlSession session;
    static CassandraStores stores;

    @BeforeAll
    static void createStores() {
        session = CASSANDRA.newSession();
        stores = CassandraStores.onSession(session, TestConfigurations.forExtension(CASSANDRA), Clock.systemUTC(),
            new StoreLimits(PASSED_TRIPLETS_LIMIT, UNKNOWN_RECIPIENTS_LIMIT));
    }

    @BeforeEach
    void truncate() {
        for (String table : new String[] {CassandraTripletStore.TABLE_NAME, CassandraClientNetworkStore.TABLE_NAME,
            CassandraUnknownRecipientStore.TABLE_NAME, CassandraWhitelistStore.TABLE_NAME, CassandraDomainProbeStore.TABLE_NAME}) {
            session.execute("TRUNCATE " + CASSANDRA.keyspace() + "." + table);
        }
    }

    abstract static class RealTime {
        public Instant now() {
            return Clock.systemUTC().instant();
        }

        public void advance(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class Triplets extends RealTime implements TripletStoreContract {
        @Override
        public TripletStore tripletStore() {
            return stores.tripletStore();
        }
    }

    @Nested
    class ClientNetworks extends RealTime implements ClientNetworkStoreContract {
        @Override
        public ClientNetworkStore clientNetworkStore() {
            return stores.clientNetworkStore();
        }
    }

    @Nested
    class UnknownRecipients extends RealTime implements UnknownRecipientStoreContract {
        @Override
        public UnknownRecipientStore unknownRecipientStore() {
            return stores.unknownRecipientStore();
        }
    }

    /** The same contracts through a node's near caches: what one node writes, it reads back at once. */
    abstract static class NearCached extends RealTime {
        final NearCachedStores near = new NearCachedStores(stores, Clock.systemUTC(), Duration.ofMinutes(5));

        @AfterEach
        void closeNearCaches() throws InterruptedException {
            near.close();
        }
    }

    @Nested
    class NearCachedTriplets extends NearCached implements TripletStoreContract {
        @Override
        public TripletStore tripletStore() {
            return near.tripletStore();
        }
    }

    @Nested
    class NearCachedClientNetworks extends NearCached implements ClientNetworkStoreContract {
        @Override
        public ClientNetworkStore clientNetworkStore() {
            return near.clientNetworkStore();
        }
    }

    @Nested
    class NearCachedUnknownRecipients extends NearCached implements UnknownRecipientStoreContract {
        @Override
        public UnknownRecipientStore unknownRecipientStore() {
            return near.unknownRecipientStore();
        }
    }

    @Nested
    class DomainProbes extends RealTime implements DomainProbeStoreContract {
        private final CassandraDomainProbeStore store = new CassandraDomainProbeStore(session,
            TestConfigurations.forExtension(CASSANDRA), Clock.systemUTC(), window(), maxCounted());

        @Override
        public DomainProbeStore domainProbeStore() {
            return store;
        }

        @Override
        public Duration window() {
            return Duration.ofSeconds(2);
        }

        @Override
        public int maxCounted() {
            return 20;
        }
    }

    @Nested
    class Whitelist implements WhitelistStoreContract {
        @Override
        public WhitelistStore whitelistStore() {
            return stores.whitelistStore();
        }
    }

    /** What the contracts leave open and this store's layout could get wrong. */
    @Nested
    class Layout {
        private final ClientNetwork network = ClientNetwork.parse("198.51.100.0/24");

        @Test
        void aRecordThatHasNotPassedIsWrittenWithoutATombstone() {
            Triplet triplet = new Triplet(network, "sender@example.org", "alice@example.com");
            TripletRecord firstSeen = TripletRecord.firstSeen(Instant.now().truncatedTo(ChronoUnit.MILLIS));
            stores.tripletStore().save(triplet, firstSeen, Duration.ofHours(1));

            // Cassandra's trace of a read counts the tombstone cells it met: a null bound to passed_at would be one.
            QueryTrace trace = session.execute(SimpleStatement.newInstance("SELECT * FROM " + CASSANDRA.keyspace() + "."
                    + CassandraTripletStore.TABLE_NAME + " WHERE network = ? AND sender = ? AND recipient = ?",
                    network.asString(), "sender@example.org", "alice@example.com").setTracing(true))
                .getExecutionInfo().getQueryTrace();

            assertThat(trace.getEvents()).extracting(TraceEvent::getActivity).anyMatch(activity -> activity.contains("1 live rows"))
                .noneMatch(activity -> activity.matches(".*[1-9][0-9]* tombstone cells.*"));
            assertThat(stores.tripletStore().find(triplet)).contains(firstSeen);
        }

        @Test
        void passedTripletsAreCountedUpToTheLimitAndLiveBesideThePenalty() {
            Penalty penalty = new Penalty(1, Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS));
            stores.clientNetworkStore().penalise(network, penalty);
            for (int i = 0; i < PASSED_TRIPLETS_LIMIT + 2; i++) {
                stores.clientNetworkStore().recordPassedTriplet(network,
                    new Triplet(network, "sender@example.org", "r" + i + "@example.com"), Duration.ofHours(1));
            }

            assertThat(stores.clientNetworkStore().load(network))
                .isEqualTo(new ClientNetworkState(PASSED_TRIPLETS_LIMIT, Optional.of(penalty)));
        }

        @Test
        void aPenaltyIsGoneAtItsEndEvenBeforeItsWholeSecondTimeToLive() throws InterruptedException {
            stores.clientNetworkStore().penalise(network, new Penalty(1, Instant.now().plusMillis(300)));

            Thread.sleep(500);

            assertThat(stores.clientNetworkStore().load(network).penalty()).isEmpty();
        }

        @Test
        void penaltiesOfOtherNetworksDoNotLeak() {
            stores.clientNetworkStore().penalise(network, new Penalty(3, Instant.now().plusSeconds(600)));

            assertThat(stores.clientNetworkStore().load(ClientNetwork.parse("198.51.101.0/24"))).isEqualTo(ClientNetworkState.UNKNOWN);
        }

        @Test
        void aPenaltyLiftedThenImposedAgainIsReadBack() {
            stores.clientNetworkStore().penalise(network, new Penalty(2, Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS)));
            stores.clientNetworkStore().liftPenalty(network);
            Penalty again = new Penalty(1, Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS));

            stores.clientNetworkStore().penalise(network, again);

            assertThat(stores.clientNetworkStore().load(network).penalty()).contains(again);
        }

        @Test
        void anUnreadableWhitelistRowIsSkipped() {
            stores.whitelistStore().add(org.rcptguard.core.WhitelistEntry.sender("partner.example"));
            session.execute("INSERT INTO " + CASSANDRA.keyspace() + "." + CassandraWhitelistStore.TABLE_NAME
                + " (bucket, kind, value) VALUES (0, 'network', '192.0.2.0/24')");
            session.execute("INSERT INTO " + CASSANDRA.keyspace() + "." + CassandraWhitelistStore.TABLE_NAME
                + " (bucket, kind, value) VALUES (0, 'client', 'not a cidr')");

            assertThat(stores.whitelistStore().list()).containsExactly(org.rcptguard.core.WhitelistEntry.sender("partner.example"));
        }

        @Test
        void theProbeReadsWithoutWriting() {
            stores.probe();

            assertThat(session.execute("SELECT count(*) FROM " + CASSANDRA.keyspace() + "." + CassandraClientNetworkStore.TABLE_NAME)
                .one().getLong(0)).isZero();
        }

        @Test
        void unknownRecipientsAreCountedUpToTheLimit() {
            int count = 0;
            for (int i = 0; i < UNKNOWN_RECIPIENTS_LIMIT + 5; i++) {
                count = stores.unknownRecipientStore().recordAndCount(network, "u" + i + "@example.com", Duration.ofHours(1));
            }

            assertThat(count).isEqualTo(UNKNOWN_RECIPIENTS_LIMIT);
        }
    }
}
