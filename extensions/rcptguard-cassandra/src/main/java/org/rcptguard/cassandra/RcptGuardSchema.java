package org.rcptguard.cassandra;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

/**
 * RcptGuard's keyspace and tables, created by the extension itself (James does not let an extension join its
 * schema set). Every statement is {@code IF NOT EXISTS}: any number of James nodes may start at once, and an
 * existing keyspace or table is never altered.
 *
 * <p>Every row of the state tables is written with a time to live, so they use
 * {@code TimeWindowCompactionStrategy} (whole SSTables expire and are dropped without compaction), with windows
 * giving a dozen to a few dozen SSTable generations over the rows' lifetime, and a small {@code gc_grace_seconds}:
 * data that expires by itself needs no long repair window for its tombstones. The run-time whitelist is the
 * exception: entries last until removed, so it keeps Cassandra's default gc grace.
 */
public final class RcptGuardSchema {
    private static final Logger LOGGER = LoggerFactory.getLogger(RcptGuardSchema.class);

    /** Three hours: Cassandra's default {@code max_hint_window}, instead of its default ten days of gc grace. */
    public static final int GC_GRACE_SECONDS = 3 * 3600;
    /** Cassandra's default ten days: the whitelist has real deletions, not expiring rows. */
    public static final int WHITELIST_GC_GRACE_SECONDS = 10 * 86400;
    /** Schema changes wait for every node to agree: much longer than the per-statement timeout of the RCPT path. */
    public static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);

    private RcptGuardSchema() {
    }

    /** Creates the keyspace (with the configured replication) and the tables, if they do not exist. */
    public static void create(CqlSession session, CassandraStoreConfiguration configuration) {
        String keyspace = configuration.keyspace();
        execute(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace
            + " WITH replication = " + configuration.replication().asCqlMap());
        execute(session, "CREATE TABLE IF NOT EXISTS " + qualified(keyspace, CassandraTripletStore.TABLE_NAME) + " ("
            + CassandraTripletStore.NETWORK + " text, "
            + CassandraTripletStore.SENDER + " text, "
            + CassandraTripletStore.RECIPIENT + " text, "
            + CassandraTripletStore.FIRST_SEEN + " timestamp, "
            + CassandraTripletStore.PASSED_AT + " timestamp, "
            + CassandraTripletStore.LAST_SEEN + " timestamp, "
            + "PRIMARY KEY ((" + CassandraTripletStore.NETWORK + ", " + CassandraTripletStore.SENDER + ", "
            + CassandraTripletStore.RECIPIENT + ")))"
            // unpassed triplets live the retry window (2 days), passed ones the lifetime since last use (36 days)
            + expiring("DAYS", 1)
            + " AND comment = 'RcptGuard greylist: one row per triplet'");
        execute(session, "CREATE TABLE IF NOT EXISTS " + qualified(keyspace, CassandraClientNetworkStore.TABLE_NAME) + " ("
            + CassandraClientNetworkStore.NETWORK + " text, "
            + CassandraClientNetworkStore.SENDER + " text, "
            + CassandraClientNetworkStore.RECIPIENT + " text, "
            + CassandraClientNetworkStore.RECORDED_AT + " timestamp, "
            + CassandraClientNetworkStore.PENALTY_LEVEL + " int static, "
            + CassandraClientNetworkStore.PENALTY_UNTIL + " timestamp static, "
            + "PRIMARY KEY (" + CassandraClientNetworkStore.NETWORK + ", " + CassandraClientNetworkStore.SENDER + ", "
            + CassandraClientNetworkStore.RECIPIENT + "))"
            // passed triplets live the lifetime (36 days), penalties up to scan.penalty.max (1 day)
            + expiring("DAYS", 1)
            + " AND comment = 'RcptGuard client networks: passed triplets (auto-whitelist) and penalty (static)'");
        execute(session, "CREATE TABLE IF NOT EXISTS " + qualified(keyspace, CassandraUnknownRecipientStore.TABLE_NAME) + " ("
            + CassandraUnknownRecipientStore.NETWORK + " text, "
            + CassandraUnknownRecipientStore.RECIPIENT + " text, "
            + CassandraUnknownRecipientStore.NAMED_AT + " timestamp, "
            + "PRIMARY KEY (" + CassandraUnknownRecipientStore.NETWORK + ", " + CassandraUnknownRecipientStore.RECIPIENT + "))"
            // events live the scan window (1 hour)
            + expiring("MINUTES", 5)
            + " AND comment = 'RcptGuard scan detection: unknown recipients per client network'");
        execute(session, "CREATE TABLE IF NOT EXISTS " + qualified(keyspace, CassandraDomainProbeStore.TABLE_NAME) + " ("
            + CassandraDomainProbeStore.DOMAIN + " text, "
            + CassandraDomainProbeStore.BUCKET + " timestamp, "
            + CassandraDomainProbeStore.SHARD + " int, "
            + CassandraDomainProbeStore.RECIPIENT + " text, "
            + CassandraDomainProbeStore.NETWORK + " text, "
            + CassandraDomainProbeStore.NAMED_AT + " timestamp, "
            + "PRIMARY KEY ((" + CassandraDomainProbeStore.DOMAIN + ", " + CassandraDomainProbeStore.BUCKET + ", "
            + CassandraDomainProbeStore.SHARD + "), " + CassandraDomainProbeStore.RECIPIENT + ", "
            + CassandraDomainProbeStore.NETWORK + "))"
            // probes live the harvest window plus a bucket (75 minutes)
            + expiring("MINUTES", 10)
            + " AND comment = 'RcptGuard harvest detection: unknown recipients per domain, time bucket and shard'");
        execute(session, "CREATE TABLE IF NOT EXISTS " + qualified(keyspace, CassandraWhitelistStore.TABLE_NAME) + " ("
            + CassandraWhitelistStore.BUCKET_COLUMN + " int, "
            + CassandraWhitelistStore.KIND + " text, "
            + CassandraWhitelistStore.VALUE + " text, "
            + CassandraWhitelistStore.ADDED_AT + " timestamp, "
            + "PRIMARY KEY (" + CassandraWhitelistStore.BUCKET_COLUMN + ", " + CassandraWhitelistStore.KIND + ", "
            + CassandraWhitelistStore.VALUE + "))"
            // entries last until removed (no TTL): deletions are real, so the default gc grace is kept, long enough
            // for a node that was down to be repaired before a removed entry could come back
            + " WITH compaction = {'class': 'LeveledCompactionStrategy'}"
            + " AND gc_grace_seconds = " + WHITELIST_GC_GRACE_SECONDS
            + " AND comment = 'RcptGuard run-time whitelist: one partition, read by every node every few seconds'");
        if (!session.checkSchemaAgreement()) {
            LOGGER.warn("Cassandra nodes do not agree on the schema yet after creating RcptGuard's tables in {}", keyspace);
        }
    }

    /** {@code keyspace.table}; both are validated identifiers (lower case letters, digits, {@code _}). */
    static String qualified(String keyspace, String table) {
        return keyspace + "." + table;
    }

    private static String expiring(String windowUnit, int windowSize) {
        return " WITH compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': '" + windowUnit
            + "', 'compaction_window_size': " + windowSize + "}"
            + " AND gc_grace_seconds = " + GC_GRACE_SECONDS;
    }

    private static void execute(CqlSession session, String cql) {
        // the driver waits for schema agreement after each schema change before returning
        session.execute(SimpleStatement.newInstance(cql).setTimeout(SCHEMA_TIMEOUT));
    }
}
