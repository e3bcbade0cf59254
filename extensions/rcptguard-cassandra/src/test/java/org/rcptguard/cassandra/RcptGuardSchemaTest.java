package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.HarvestOverride;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * The keyspace and tables RcptGuard creates: made by several nodes at once without failing (each schema version
 * recorded once), expiring tables with
 * TimeWindowCompactionStrategy and a small gc_grace_seconds, every row carrying a TTL.
 */
class RcptGuardSchemaTest {
    /** The tables whose rows all expire. */
    private static final List<String> EXPIRING_TABLES = List.of(CassandraTripletStore.TABLE_NAME,
        CassandraClientNetworkStore.TABLE_NAME, CassandraUnknownRecipientStore.TABLE_NAME, CassandraDomainProbeStore.TABLE_NAME,
        CassandraVerificationCache.TABLE_NAME, CassandraDomainProbeStore.OVERRIDES_TABLE_NAME, CassandraTripletFeed.TABLE_NAME,
        CassandraPenaltyChanges.TABLE_NAME);
    private static final List<String> TABLES = List.of(CassandraTripletStore.TABLE_NAME,
        CassandraClientNetworkStore.TABLE_NAME, CassandraUnknownRecipientStore.TABLE_NAME, CassandraWhitelistStore.TABLE_NAME,
        CassandraDomainProbeStore.TABLE_NAME, CassandraVerificationCache.TABLE_NAME,
        CassandraDomainProbeStore.OVERRIDES_TABLE_NAME, CassandraTripletFeed.TABLE_NAME, CassandraPenaltyChanges.TABLE_NAME,
        RcptGuardSchema.VERSIONS_TABLE);
    private static final ClientNetwork NETWORK = ClientNetwork.parse("192.0.2.0/24");

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static CassandraStoreConfiguration configuration;
    static CqlSession inspector;
    static final List<CassandraStores> opened = new ArrayList<>();

    @BeforeAll
    static void createConcurrently() throws Exception {
        // the keyspace does not exist yet: two "James nodes" create it and the tables at the same instant
        configuration = TestConfigurations.forExtension(CASSANDRA,
            CassandraStoreConfiguration.REPLICATION, "NetworkTopologyStrategy:" + CASSANDRA.localDatacenter() + "=1");
        inspector = CASSANDRA.newSession();
        assertThat(inspector.execute("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?",
            CASSANDRA.keyspace()).one()).isNull();

        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CassandraStores>> nodes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                nodes.add(executor.submit(() -> {
                    RcptGuardCqlSessionFactory factory = new RcptGuardCqlSessionFactory(configuration);
                    CqlSession session = factory.createSession(); // connect first, so that the DDL really overlaps
                    start.await();
                    return factory.onSession(session, Clock.systemUTC(), new StoreLimits(5, 74));
                }));
            }
            long started = System.nanoTime();
            start.countDown();
            for (Future<CassandraStores> node : nodes) {
                opened.add(node.get(120, TimeUnit.SECONDS));
            }
            System.out.printf("schema: two nodes created keyspace and tables concurrently in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        } finally {
            executor.shutdownNow();
        }
    }

    @AfterAll
    static void closeAll() {
        opened.forEach(stores -> stores.session().close());
    }

    @Test
    void twoNodesCreatingTheSchemaAtOnceShareOneWorkingSchema() {
        Triplet triplet = new Triplet(NETWORK, "sender@example.org", "alice@example.com");
        TripletRecord record = TripletRecord.firstSeen(Instant.now().truncatedTo(ChronoUnit.MILLIS));

        opened.get(0).tripletStore().save(triplet, record, Duration.ofHours(1));

        assertThat(opened.get(1).tripletStore().find(triplet)).contains(record);
        assertThat(inspector.checkSchemaAgreement()).isTrue();
    }

    @Test
    void twoNodesMigratingAtOnceRecordEachSchemaVersionOnce() {
        List<Integer> versions = new ArrayList<>();
        inspector.execute("SELECT version, description FROM " + CASSANDRA.keyspace() + "." + RcptGuardSchema.VERSIONS_TABLE)
            .forEach(row -> versions.add(row.getInt("version")));

        assertThat(versions).containsExactlyInAnyOrderElementsOf(
            RcptGuardMigrations.forKeyspace(CASSANDRA.keyspace()).stream().map(SchemaMigration::version).collect(Collectors.toList()));
    }

    @Test
    void creatingAgainOnAnExistingSchemaChangesNothing() {
        try (CassandraStores again = new RcptGuardCqlSessionFactory(configuration).open(Clock.systemUTC(), new StoreLimits(5, 74))) {
            again.unknownRecipientStore().recordAndCount(NETWORK, "again@example.com", Duration.ofMinutes(1));
        }
        assertThat(tableNames()).containsExactlyInAnyOrderElementsOf(TABLES);
    }

    @Test
    void theKeyspaceHasTheConfiguredReplication() {
        Row row = inspector.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
            CASSANDRA.keyspace()).one();

        assertThat(row).isNotNull();
        assertThat(row.getMap("replication", String.class, String.class))
            .containsEntry("class", "org.apache.cassandra.locator.NetworkTopologyStrategy")
            .containsEntry(CASSANDRA.localDatacenter(), "1");
    }

    @Test
    void expiringTablesUseTimeWindowCompactionAndASmallGcGrace() {
        for (String table : EXPIRING_TABLES) {
            Row row = inspector.execute("SELECT compaction, gc_grace_seconds FROM system_schema.tables"
                + " WHERE keyspace_name = ? AND table_name = ?", CASSANDRA.keyspace(), table).one();
            assertThat(row).as(table).isNotNull();
            Map<String, String> compaction = row.getMap("compaction", String.class, String.class);
            System.out.printf("schema %s compaction=%s gc_grace_seconds=%d%n", table, compaction, row.getInt("gc_grace_seconds"));
            assertThat(compaction.get("class")).as(table).endsWith("TimeWindowCompactionStrategy");
            assertThat(row.getInt("gc_grace_seconds")).as(table).isEqualTo(RcptGuardSchema.GC_GRACE_SECONDS);
        }
    }

    @Test
    void theWhitelistKeepsTheDefaultGcGraceForItsRealDeletions() {
        Row row = inspector.execute("SELECT compaction, gc_grace_seconds FROM system_schema.tables"
            + " WHERE keyspace_name = ? AND table_name = ?", CASSANDRA.keyspace(), CassandraWhitelistStore.TABLE_NAME).one();

        assertThat(row).isNotNull();
        assertThat(row.getMap("compaction", String.class, String.class).get("class")).endsWith("LeveledCompactionStrategy");
        assertThat(row.getInt("gc_grace_seconds")).isEqualTo(RcptGuardSchema.WHITELIST_GC_GRACE_SECONDS);
    }

    @Test
    void everyRowCarriesItsTimeToLive() {
        CassandraStores stores = opened.get(0);
        Triplet triplet = new Triplet(NETWORK, "ttl@example.org", "ttl@example.com");
        Instant now = Instant.now();
        stores.tripletStore().save(triplet, TripletRecord.firstSeen(now), Duration.ofHours(2));
        stores.clientNetworkStore().recordPassedTriplet(NETWORK, triplet, Duration.ofDays(36));
        stores.clientNetworkStore().penalise(NETWORK, new Penalty(2, now.plus(Duration.ofMinutes(20))));
        stores.unknownRecipientStore().recordAndCount(NETWORK, "nobody@example.com", Duration.ofHours(1));
        CassandraDomainProbeStore probes = new CassandraDomainProbeStore(stores.session(), configuration, Clock.systemUTC(),
            Duration.ofHours(1), 10);
        probes.record(new DomainProbe("example.com", "nobody@example.com", NETWORK));
        probes.override(new HarvestOverride("example.com", HarvestOverride.Kind.START, now, now.plus(Duration.ofHours(1))));
        String keyspace = CASSANDRA.keyspace();

        Row tripletRow = inspector.execute("SELECT TTL(first_seen) AS first_seen, TTL(last_seen) AS last_seen FROM " + keyspace
            + "." + CassandraTripletStore.TABLE_NAME + " WHERE network = ? AND sender = ? AND recipient = ?",
            NETWORK.asString(), triplet.sender(), triplet.recipient()).one();
        Row passedRow = inspector.execute("SELECT TTL(recorded_at) AS recorded_at FROM " + keyspace + "."
            + CassandraClientNetworkStore.TABLE_NAME + " WHERE network = ? AND sender = ? AND recipient = ?",
            NETWORK.asString(), triplet.sender(), triplet.recipient()).one();
        Row penaltyRow = inspector.execute("SELECT TTL(penalty_level) AS level, TTL(penalty_until) AS until FROM " + keyspace
            + "." + CassandraClientNetworkStore.TABLE_NAME + " WHERE network = ? LIMIT 1", NETWORK.asString()).one();
        Row unknownRow = inspector.execute("SELECT TTL(named_at) AS named_at FROM " + keyspace + "."
            + CassandraUnknownRecipientStore.TABLE_NAME + " WHERE network = ? AND recipient = ?",
            NETWORK.asString(), "nobody@example.com").one();

        Row probeRow = inspector.execute("SELECT TTL(named_at) AS named_at FROM " + keyspace + "."
            + CassandraDomainProbeStore.TABLE_NAME + " WHERE domain = ? ALLOW FILTERING", "example.com").one();
        Row overrideRow = inspector.execute("SELECT TTL(until) AS until FROM " + keyspace + "."
            + CassandraDomainProbeStore.OVERRIDES_TABLE_NAME + " WHERE bucket = 0 AND domain = ?", "example.com").one();

        assertThat(tripletRow.getInt("first_seen")).isBetween(2 * 3600 - 10, 2 * 3600 + 1);
        assertThat(tripletRow.getInt("last_seen")).isBetween(2 * 3600 - 10, 2 * 3600 + 1);
        assertThat(passedRow.getInt("recorded_at")).isBetween(36 * 86400 - 10, 36 * 86400 + 1);
        assertThat(penaltyRow.getInt("level")).isBetween(20 * 60 - 10, 20 * 60 + 1);
        assertThat(penaltyRow.getInt("until")).isBetween(20 * 60 - 10, 20 * 60 + 1);
        assertThat(unknownRow.getInt("named_at")).isBetween(3600 - 10, 3600 + 1);
        assertThat(probeRow.getInt("named_at")).isBetween(75 * 60 - 10, 75 * 60 + 2);
        assertThat(overrideRow.getInt("until")).isBetween(3600 - 10, 3600 + 2);
    }

    @Test
    void theStoresWorkOnASessionBoundToAnotherKeyspace() {
        // James's own session is bound to James's keyspace: RcptGuard's statements name their keyspace
        inspector.execute("CREATE KEYSPACE IF NOT EXISTS " + CASSANDRA.keyspace() + "_james"
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        try (CqlSession james = CASSANDRA.sessionBuilder(Duration.ofSeconds(10)).withKeyspace(CASSANDRA.keyspace() + "_james").build()) {
            CassandraStores stores = new RcptGuardCqlSessionFactory(configuration).onSession(james, Clock.systemUTC(), new StoreLimits(5, 74));
            assertThat(stores.unknownRecipientStore().recordAndCount(ClientNetwork.parse("192.0.9.0/24"), "x@example.com",
                Duration.ofMinutes(1))).isEqualTo(1);
            stores.close();
            assertThat(james.isClosed()).as("a lent session stays open").isFalse();
        } finally {
            inspector.execute("DROP KEYSPACE IF EXISTS " + CASSANDRA.keyspace() + "_james");
        }
    }

    private static List<String> tableNames() {
        List<String> names = new ArrayList<>();
        inspector.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", CASSANDRA.keyspace())
            .forEach(row -> names.add(row.getString("table_name")));
        return names;
    }
}
