package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.WhitelistKind;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.DataTypes;

/**
 * A rolling restart from the previous release (commit 78d0bd4, which recorded no schema version): its schema and
 * rows, kept as CQL fixtures, are loaded; this release's schema code starts on that keyspace and migrates it; the
 * old state is read through this release's stores, and the old release's statements, as its stores prepared
 * them, keep working beside this release's.
 */
class SchemaUpgradeTest {
    private static final String FIXTURE = "/upgrade/78d0bd4/";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final ClientNetwork GREYLISTED = ClientNetwork.parse("192.0.2.0/24");
    private static final ClientNetwork PENALISED = ClientNetwork.parse("198.51.100.0/24");
    /** The network the "old node" writes for in these tests, so that the fixture's rows stay as loaded. */
    private static final ClientNetwork OLD_NODE_CLIENT = ClientNetwork.parse("203.0.113.0/24");

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static CqlSession inspector;
    static CassandraStoreConfiguration configuration;
    static CassandraStores migrated;
    static Map<String, PreparedStatement> oldNode;

    @BeforeAll
    static void previousReleaseThenMigrate() {
        inspector = CASSANDRA.newSession();
        fixture("schema.cql").values().forEach(inspector::execute);
        fixture("rows.cql").values().forEach(inspector::execute);
        assertThat(tableNames()).doesNotContain(RcptGuardSchema.VERSIONS_TABLE, CassandraDomainProbeStore.TABLE_NAME,
            CassandraVerificationCache.TABLE_NAME);

        configuration = TestConfigurations.forExtension(CASSANDRA);
        migrated = CassandraStores.onSession(CASSANDRA.newSession(), configuration, Clock.systemUTC(), new StoreLimits(5, 74));

        // the node still on the previous release: its own session, its statements prepared after the migration
        CqlSession oldSession = CASSANDRA.newSession();
        oldNode = fixture("statements.cql").entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, statement -> oldSession.prepare(statement.getValue())));
    }

    @AfterAll
    static void close() {
        if (migrated != null) {
            migrated.session().close();
        }
    }

    @Test
    void theMigrationRecordsEachStepOnceAndAddsTheNewTables() {
        assertThat(appliedVersions()).containsExactlyElementsOf(
            RcptGuardMigrations.forKeyspace(CASSANDRA.keyspace()).stream().map(SchemaMigration::version).collect(Collectors.toList()));
        assertThat(tableNames()).contains(CassandraDomainProbeStore.TABLE_NAME, CassandraVerificationCache.TABLE_NAME,
            RcptGuardSchema.VERSIONS_TABLE);
        assertThat(inspector.checkSchemaAgreement()).isTrue();
    }

    @Test
    void theMigratedKeyspaceHasTheSchemaOfAFreshOne() {
        // also proves the fixture is the previous release's schema: step 1 left its tables as they were
        String fresh = CASSANDRA.keyspace() + "_fresh";
        try {
            RcptGuardSchema.create(inspector, TestConfigurations.forExtension(CASSANDRA, CassandraStoreConfiguration.KEYSPACE, fresh));

            assertThat(schemaOf(CASSANDRA.keyspace())).isEqualTo(schemaOf(fresh)).isNotEmpty();
        } finally {
            inspector.execute("DROP KEYSPACE IF EXISTS " + fresh);
        }
    }

    @Test
    void aTripletThatPassedUnderThePreviousReleaseStillPasses() {
        TripletRecord passed = migrated.tripletStore()
            .find(new Triplet(GREYLISTED, "sender@example.org", "alice@example.com")).orElseThrow();
        TripletRecord waiting = migrated.tripletStore()
            .find(new Triplet(GREYLISTED, "sender@example.org", "bob@example.com")).orElseThrow();

        assertThat(passed.isPassed()).isTrue();
        assertThat(passed.passedAt()).contains(NOW.minus(Duration.ofHours(1)));
        assertThat(passed.expiresAt(Duration.ofDays(2), Duration.ofDays(36))).isAfter(NOW);
        assertThat(waiting.isPassed()).isFalse();
        assertThat(waiting.firstSeen()).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
    }

    @Test
    void theClientNetworkItsScanEvidenceAndTheWhitelistOfThePreviousReleaseAreRead() {
        ClientNetworkState state = migrated.clientNetworkStore().load(PENALISED);

        assertThat(state.passedTriplets()).isEqualTo(3);
        assertThat(state.penaltyActiveAt(NOW)).contains(new Penalty(2, NOW.plus(Duration.ofMinutes(20))));
        assertThat(migrated.unknownRecipientStore().count(PENALISED)).isEqualTo(3);
        assertThat(migrated.whitelistStore().list()).contains(WhitelistEntry.of(WhitelistKind.CLIENT, "203.0.113.0/24"));
    }

    @Test
    void everyStatementOfThePreviousReleaseStillWorksOnTheMigratedKeyspace() {
        List<String> executed = new ArrayList<>();
        oldNode.forEach((name, prepared) -> {
            BoundStatementBuilder bound = prepared.boundStatementBuilder();
            int index = 0;
            for (ColumnDefinition variable : prepared.getVariableDefinitions()) {
                if (variable.getType().equals(DataTypes.TEXT)) {
                    bound.setString(index, "old-node-" + variable.getName().asInternal());
                } else if (variable.getType().equals(DataTypes.TIMESTAMP)) {
                    bound.setInstant(index, NOW);
                } else {
                    bound.setInt(index, 600); // ttl, limit, bucket, penalty level: all ints
                }
                index++;
            }
            inspector.execute(bound.build());
            executed.add(name);
        });

        assertThat(executed).hasSize(13);
        System.out.printf("schema upgrade: %d statements of the previous release prepared and executed%n", executed.size());
    }

    @Test
    void aNodeStillOnThePreviousReleaseKeepsDecidingBesideAMigratedOne() {
        // it still lets the old passed triplet through, and still defers the penalised network
        Row passed = inspector.execute(oldNode.get("triplet.select").bind(GREYLISTED.asString(), "sender@example.org",
            "alice@example.com")).one();
        Row penalised = inspector.execute(oldNode.get("client_network.select").bind(PENALISED.asString(), 10)).one();
        assertThat(passed.getInstant("passed_at")).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(penalised.getInt("penalty_level")).isEqualTo(2);

        // what it records, the migrated node reads: a passed triplet, unknown recipients, a penalty
        Triplet oldNodesTriplet = new Triplet(OLD_NODE_CLIENT, "sender@example.org", "dave@example.com");
        inspector.execute(oldNode.get("triplet.insert").bind(OLD_NODE_CLIENT.asString(), oldNodesTriplet.sender(),
            oldNodesTriplet.recipient(), NOW.minus(Duration.ofMinutes(10)), NOW, NOW, 3600));
        for (String recipient : List.of("x1@example.com", "x2@example.com")) {
            inspector.execute(oldNode.get("unknown_recipient.insert").bind(OLD_NODE_CLIENT.asString(), recipient, NOW, 3600));
        }
        inspector.execute(oldNode.get("client_network.update_penalty").bind(600, 1, NOW.plus(Duration.ofMinutes(10)),
            OLD_NODE_CLIENT.asString()));

        assertThat(migrated.tripletStore().find(oldNodesTriplet).orElseThrow().isPassed()).isTrue();
        assertThat(migrated.unknownRecipientStore().recordAndCount(OLD_NODE_CLIENT, "x3@example.com", Duration.ofHours(1)))
            .isEqualTo(3);
        assertThat(migrated.clientNetworkStore().load(OLD_NODE_CLIENT).penaltyActiveAt(NOW))
            .contains(new Penalty(1, NOW.plus(Duration.ofMinutes(10))));

        // and what the migrated node records, it reads
        Triplet newNodesTriplet = new Triplet(OLD_NODE_CLIENT, "sender@example.org", "erin@example.com");
        migrated.tripletStore().save(newNodesTriplet, TripletRecord.firstSeen(NOW).passed(NOW), Duration.ofHours(1));
        Row fromNewNode = inspector.execute(oldNode.get("triplet.select").bind(OLD_NODE_CLIENT.asString(),
            newNodesTriplet.sender(), newNodesTriplet.recipient())).one();
        assertThat(fromNewNode.getInstant("passed_at")).isEqualTo(NOW);
    }

    @Test
    void restartingANodeOfEitherReleaseChangesNothing() {
        fixture("schema.cql").values().forEach(inspector::execute);
        RcptGuardSchema.create(inspector, configuration);

        assertThat(appliedVersions()).hasSize(RcptGuardMigrations.forKeyspace(CASSANDRA.keyspace()).size());
        assertThat(migrated.tripletStore().find(new Triplet(GREYLISTED, "sender@example.org", "alice@example.com"))
            .orElseThrow().isPassed()).isTrue();
    }

    private static Map<String, String> fixture(String name) {
        return CqlFixture.read(FIXTURE + name, Map.of(
            "keyspace", CASSANDRA.keyspace(),
            "now-2h", millis(NOW.minus(Duration.ofHours(2))),
            "now-1h", millis(NOW.minus(Duration.ofHours(1))),
            "now-10m", millis(NOW.minus(Duration.ofMinutes(10))),
            "now+20m", millis(NOW.plus(Duration.ofMinutes(20)))));
    }

    private static String millis(Instant instant) {
        return String.valueOf(instant.toEpochMilli());
    }

    private static List<Integer> appliedVersions() {
        List<Integer> versions = new ArrayList<>();
        inspector.execute("SELECT version FROM " + CASSANDRA.keyspace() + "." + RcptGuardSchema.VERSIONS_TABLE)
            .forEach(row -> versions.add(row.getInt("version")));
        versions.sort(Integer::compareTo);
        return versions;
    }

    /** Every table's columns (name, kind, type, order) and options that matter, one line each, sorted. */
    private static List<String> schemaOf(String keyspace) {
        List<String> lines = new ArrayList<>();
        inspector.execute("SELECT table_name, column_name, kind, position, type, clustering_order FROM system_schema.columns"
            + " WHERE keyspace_name = ?", keyspace).forEach(row -> lines.add(String.join(" ", row.getString("table_name"),
                row.getString("column_name"), row.getString("kind"), String.valueOf(row.getInt("position")),
                row.getString("type"), row.getString("clustering_order"))));
        inspector.execute("SELECT table_name, compaction, gc_grace_seconds, default_time_to_live, comment"
            + " FROM system_schema.tables WHERE keyspace_name = ?", keyspace).forEach(row -> lines.add(String.join(" ",
                row.getString("table_name"), String.valueOf(row.getMap("compaction", String.class, String.class)),
                String.valueOf(row.getInt("gc_grace_seconds")), String.valueOf(row.getInt("default_time_to_live")),
                row.getString("comment"))));
        lines.sort(String::compareTo);
        return lines;
    }

    private static List<String> tableNames() {
        List<String> names = new ArrayList<>();
        inspector.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", CASSANDRA.keyspace())
            .forEach(row -> names.add(row.getString("table_name")));
        return names;
    }
}
