package org.rcptguard.cassandra;

import java.util.List;

/**
 * RcptGuard's schema, as the ordered steps that build it. A release that needs a table or a column appends a
 * step with the next version; a released step is never edited, since keyspaces that recorded it never run it
 * again.
 *
 * <p>The rule that lets two releases share one keyspace during a rolling restart: a step only adds (a table, a
 * column, with {@code IF NOT EXISTS}); it never drops, renames or retypes a column nor changes a key, so every
 * statement of the previous release keeps working on the migrated keyspace. A row written by a node of the
 * previous release lacks the new columns: this release reads their absence as "not recorded". What a release no
 * longer uses is dropped, if ever, by a step of a later release, once no node of the release that used it runs.
 *
 * <p>Every row of the state tables is written with a time to live, so they use
 * {@code TimeWindowCompactionStrategy} (whole SSTables expire and are dropped without compaction), with windows
 * giving a dozen to a few dozen SSTable generations over the rows' lifetime, and a small {@code gc_grace_seconds}:
 * data that expires by itself needs no long repair window for its tombstones. The run-time whitelist is the
 * exception: entries last until removed, so it keeps Cassandra's default gc grace.
 */
final class RcptGuardMigrations {
    private RcptGuardMigrations() {
    }

    /** The steps in version order, for the tables of {@code keyspace}. */
    static List<SchemaMigration> forKeyspace(String keyspace) {
        return List.of(
            new SchemaMigration(1, "greylist, client networks, unknown recipients, whitelist", List.of(
                triplets(keyspace), clientNetworks(keyspace), unknownRecipients(keyspace), whitelist(keyspace))),
            new SchemaMigration(2, "harvest detection: domain probes", List.of(domainProbes(keyspace))),
            // created by the verification cache itself before this step, with the same definition: a no-op there
            new SchemaMigration(3, "SMTP verification answers", List.of(verifications(keyspace))),
            new SchemaMigration(4, "harvest overrides: operators' start and end, cluster-wide", List.of(harvestOverrides(keyspace))),
            new SchemaMigration(5, "triplet filter: what each node recorded, for the others", List.of(tripletFeed(keyspace))),
            new SchemaMigration(6, "penalty changes: announced to the other nodes", List.of(penaltyChanges(keyspace))));
    }

    private static String triplets(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, CassandraTripletStore.TABLE_NAME) + " ("
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
            + " AND comment = 'RcptGuard greylist: one row per triplet'";
    }

    private static String clientNetworks(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, CassandraClientNetworkStore.TABLE_NAME) + " ("
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
            + " AND comment = 'RcptGuard client networks: passed triplets (auto-whitelist) and penalty (static)'";
    }

    private static String unknownRecipients(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, CassandraUnknownRecipientStore.TABLE_NAME) + " ("
            + CassandraUnknownRecipientStore.NETWORK + " text, "
            + CassandraUnknownRecipientStore.RECIPIENT + " text, "
            + CassandraUnknownRecipientStore.NAMED_AT + " timestamp, "
            + "PRIMARY KEY (" + CassandraUnknownRecipientStore.NETWORK + ", " + CassandraUnknownRecipientStore.RECIPIENT + "))"
            // events live the scan window (1 hour)
            + expiring("MINUTES", 5)
            + " AND comment = 'RcptGuard scan detection: unknown recipients per client network'";
    }

    private static String whitelist(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, CassandraWhitelistStore.TABLE_NAME) + " ("
            + CassandraWhitelistStore.BUCKET_COLUMN + " int, "
            + CassandraWhitelistStore.KIND + " text, "
            + CassandraWhitelistStore.VALUE + " text, "
            + CassandraWhitelistStore.ADDED_AT + " timestamp, "
            + "PRIMARY KEY (" + CassandraWhitelistStore.BUCKET_COLUMN + ", " + CassandraWhitelistStore.KIND + ", "
            + CassandraWhitelistStore.VALUE + "))"
            // entries last until removed (no TTL): deletions are real, so the default gc grace is kept, long enough
            // for a node that was down to be repaired before a removed entry could come back
            + " WITH compaction = {'class': 'LeveledCompactionStrategy'}"
            + " AND gc_grace_seconds = " + RcptGuardSchema.WHITELIST_GC_GRACE_SECONDS
            + " AND comment = 'RcptGuard run-time whitelist: one partition, read by every node every few seconds'";
    }

    private static String domainProbes(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, CassandraDomainProbeStore.TABLE_NAME) + " ("
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
            + " AND comment = 'RcptGuard harvest detection: unknown recipients per domain, time bucket and shard'";
    }

    private static String verifications(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, CassandraVerificationCache.TABLE_NAME) + " ("
            + CassandraVerificationCache.ADDRESS + " text PRIMARY KEY, "
            + CassandraVerificationCache.ANSWER + " text, "
            + CassandraVerificationCache.VERIFIED_AT + " timestamp)"
            // answers live 1 hour (INVALID) to 24 hours (VALID) by default
            + expiring("HOURS", 1)
            + " AND comment = 'RcptGuard SMTP verification answers: one row per address'";
    }

    private static String harvestOverrides(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, CassandraDomainProbeStore.OVERRIDES_TABLE_NAME) + " ("
            + CassandraDomainProbeStore.BUCKET + " int, "
            + CassandraDomainProbeStore.DOMAIN + " text, "
            + CassandraDomainProbeStore.KIND + " text, "
            + CassandraDomainProbeStore.SINCE + " timestamp, "
            + CassandraDomainProbeStore.UNTIL + " timestamp, "
            + "PRIMARY KEY (" + CassandraDomainProbeStore.BUCKET + ", " + CassandraDomainProbeStore.DOMAIN + "))"
            // overrides live the harvest window (1 hour); a handful of rows, read by every node at each harvest refresh
            + expiring("MINUTES", 10)
            + " AND comment = 'RcptGuard harvest overrides: operators start or end a domain''s harvest, one partition'";
    }

    // publications live 10 minutes; each node reads the last seconds' twice a second
    private static String tripletFeed(String keyspace) {
        return perMinute(keyspace, CassandraTripletFeed.TABLE_NAME, CassandraTripletFeed.HASHES + " blob",
            "RcptGuard triplet filter: the triplets each node recorded, per minute, for the other nodes");
    }

    // announcements live 5 minutes; each node reads the last seconds of them twice a second
    private static String penaltyChanges(String keyspace) {
        return perMinute(keyspace, CassandraPenaltyChanges.TABLE_NAME, CassandraPenaltyChanges.NETWORK + " text",
            "RcptGuard penalty changes: the networks whose penalty changed, per minute, for the other nodes");
    }

    /** A table of {@link MinutePartitions}: one partition a minute, rows by the time-based UUID of their write. */
    private static String perMinute(String keyspace, String table, String column, String comment) {
        return "CREATE TABLE IF NOT EXISTS " + RcptGuardSchema.qualified(keyspace, table) + " ("
            + MinutePartitions.MINUTE + " timestamp, "
            + MinutePartitions.WRITTEN + " timeuuid, "
            + column + ", "
            + "PRIMARY KEY (" + MinutePartitions.MINUTE + ", " + MinutePartitions.WRITTEN + "))"
            + expiring("MINUTES", 1)
            + " AND comment = '" + comment + "'";
    }

    private static String expiring(String windowUnit, int windowSize) {
        return " WITH compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': '" + windowUnit
            + "', 'compaction_window_size': " + windowSize + "}"
            + " AND gc_grace_seconds = " + RcptGuardSchema.GC_GRACE_SECONDS;
    }
}
