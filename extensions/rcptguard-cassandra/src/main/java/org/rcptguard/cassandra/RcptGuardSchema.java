package org.rcptguard.cassandra;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

/**
 * RcptGuard's keyspace and tables, created and migrated by the extension itself at start-up (James does not let
 * an extension join its schema set). The keyspace records, in {@value #VERSIONS_TABLE}, each step of
 * {@link RcptGuardMigrations} applied to it; a node applies the steps it does not find there, in order, waits
 * for every Cassandra node to agree on the schema, then records the step.
 *
 * <p>No lock and no lightweight transaction, although any number of James nodes may start at once: every step
 * is additive and idempotent ({@link SchemaMigration}), so two nodes applying the same step both succeed and
 * leave the schema one of them would have left alone; the version row is an upsert keyed by the version, so
 * recording it twice leaves one row; a node that reads a stale list of versions, or stopped between a step and
 * its record, applies the step again, harmlessly. A lock would only spare the repetition. Two coordinators
 * creating one table at the same instant may give it two table ids (Cassandra's schema changes are not
 * transactional): the nodes then disagree on the schema, and this node waits for agreement after every step,
 * before it records the step, prepares a statement or writes a row, and stops the start-up if agreement does
 * not come, so such a race is a start to repeat, never a table silently split.
 *
 * <p>A keyspace of the release before versions were recorded holds no {@value #VERSIONS_TABLE}: it is migrated
 * from the first step, whose tables it already has ({@code IF NOT EXISTS} leaves them as they are).
 */
public final class RcptGuardSchema {
    private static final Logger LOGGER = LoggerFactory.getLogger(RcptGuardSchema.class);

    /** The table of applied schema versions: one row per step. */
    public static final String VERSIONS_TABLE = "rcptguard_schema_versions";
    /** Three hours: Cassandra's default {@code max_hint_window}, instead of its default ten days of gc grace. */
    public static final int GC_GRACE_SECONDS = 3 * 3600;
    /** Cassandra's default ten days: the whitelist has real deletions, not expiring rows. */
    public static final int WHITELIST_GC_GRACE_SECONDS = 10 * 86400;
    /** Schema changes wait for every node to agree: much longer than the per-statement timeout of the RCPT path. */
    public static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration AGREEMENT_POLL = Duration.ofMillis(200);

    private RcptGuardSchema() {
    }

    /**
     * Creates the keyspace (with the configured replication) if it does not exist, and applies the schema steps
     * it has not recorded yet.
     *
     * @throws IllegalStateException when the Cassandra nodes do not agree on the schema within
     *                               {@link #SCHEMA_TIMEOUT} after a step: the step is not recorded, and the next
     *                               start applies it again
     */
    public static void create(CqlSession session, CassandraStoreConfiguration configuration) {
        String keyspace = configuration.keyspace();
        execute(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace
            + " WITH replication = " + configuration.replication().asCqlMap());
        String versions = qualified(keyspace, VERSIONS_TABLE);
        execute(session, "CREATE TABLE IF NOT EXISTS " + versions
            + " (version int PRIMARY KEY, description text, applied_at timestamp)"
            + " WITH comment = 'RcptGuard schema: the migration steps applied to this keyspace'");
        if (!session.checkSchemaAgreement()) {
            // nothing was created but (once) the versions table: a lagging node does not stop a restart
            LOGGER.warn("Cassandra nodes do not agree on the schema yet after opening RcptGuard's keyspace {}", keyspace);
        }

        Set<Integer> applied = appliedVersions(session, versions);
        List<SchemaMigration> steps = RcptGuardMigrations.forKeyspace(keyspace);
        for (SchemaMigration step : steps) {
            if (!applied.contains(step.version())) {
                LOGGER.info("Applying RcptGuard schema step {} to keyspace {}", step, keyspace);
                step.statements().forEach(cql -> execute(session, cql));
                if (!awaitAgreement(session)) {
                    throw new IllegalStateException("Cassandra nodes do not agree on RcptGuard's schema in " + keyspace
                        + " " + SCHEMA_TIMEOUT.toSeconds() + " s after step " + step + "; start again once they do");
                }
                session.execute(SimpleStatement.newInstance("INSERT INTO " + versions
                        + " (version, description, applied_at) VALUES (?, ?, ?)",
                    step.version(), step.description(), Instant.now()).setTimeout(SCHEMA_TIMEOUT));
            }
        }
        int newest = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
        int ours = steps.get(steps.size() - 1).version();
        if (newest > ours) {
            // a node of a later release migrated the keyspace; its steps only added, so this release's statements work
            LOGGER.info("RcptGuard keyspace {} is at schema version {}, newer than this release's {}", keyspace, newest, ours);
        }
    }

    /** {@code keyspace.table}; both are validated identifiers (lower case letters, digits, {@code _}). */
    static String qualified(String keyspace, String table) {
        return keyspace + "." + table;
    }

    private static Set<Integer> appliedVersions(CqlSession session, String versions) {
        Set<Integer> applied = new TreeSet<>();
        session.execute(SimpleStatement.newInstance("SELECT version FROM " + versions).setTimeout(SCHEMA_TIMEOUT))
            .forEach(row -> applied.add(row.getInt("version")));
        return applied;
    }

    /** Whether every node agrees on the schema within {@link #SCHEMA_TIMEOUT}. */
    private static boolean awaitAgreement(CqlSession session) {
        long deadline = System.nanoTime() + SCHEMA_TIMEOUT.toNanos();
        while (!session.checkSchemaAgreement()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(AGREEMENT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void execute(CqlSession session, String cql) {
        // the driver also waits for schema agreement after each schema change before returning
        session.execute(SimpleStatement.newInstance(cql).setTimeout(SCHEMA_TIMEOUT));
    }
}
