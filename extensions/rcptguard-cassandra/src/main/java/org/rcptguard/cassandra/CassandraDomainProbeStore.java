package org.rcptguard.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.rcptguard.core.LogText;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.HarvestOverride;
import org.rcptguard.core.store.ProbeTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * Unknown-recipient probes per governed domain in Cassandra, spread so that a harvest of a million probes at one
 * domain makes no hot partition: one partition per (domain, time bucket, shard), the shard being the recipient's
 * hash modulo {@value #SHARDS}, the bucket a quarter of the window; one clustering row per (recipient, network).
 *
 * <pre>
 * CREATE TABLE rcptguard_domain_probes (
 *     domain text, bucket timestamp, shard int, recipient text, network text, named_at timestamp,
 *     PRIMARY KEY ((domain, bucket, shard), recipient, network))
 * </pre>
 *
 * <p>{@link #record} is one write, living the window plus one bucket. {@link #tally} (background only) reads the
 * {@value #SHARDS} shards of every bucket the window overlaps, {@code 5 × 16 = 80} partitions, each up to
 * {@code maxCounted} rows, one bucket's shards at once, newest first, until both counts reach {@code maxCounted}; a
 * probe thus counts between one window and one window plus a bucket. What a tally holds is bounded whatever a
 * harvest wrote: {@value #SHARDS} pages at once and {@code maxCounted} values of each kind (reading all 80 pages at
 * once and keeping every value held up to 96,000 rows).
 *
 * <p>Operators' overrides are rows of one small partition, like the run-time whitelist's, each living until the
 * override ends (its TTL): {@link #overrides} is one single-partition read per refresh.
 *
 * <pre>
 * CREATE TABLE rcptguard_harvest_overrides (
 *     bucket int, domain text, kind text, since timestamp, until timestamp,
 *     PRIMARY KEY (bucket, domain))
 * </pre>
 */
public final class CassandraDomainProbeStore implements DomainProbeStore {
    public static final String TABLE_NAME = "rcptguard_domain_probes";
    public static final String DOMAIN = "domain";
    public static final String BUCKET = "bucket";
    public static final String SHARD = "shard";
    public static final String RECIPIENT = "recipient";
    public static final String NETWORK = "network";
    /** When the probe was last recorded (for operators; the row's TTL is what counts). */
    public static final String NAMED_AT = "named_at";
    public static final String TTL = "ttl";
    public static final String LIMIT = "max_rows";
    public static final String OVERRIDES_TABLE_NAME = "rcptguard_harvest_overrides";
    public static final String KIND = "kind";
    public static final String SINCE = "since";
    public static final String UNTIL = "until";
    /** The overrides' one partition (the column exists so that the table can be split later without changing its key). */
    static final int OVERRIDES_BUCKET = 0;
    /** Partitions per bucket: a harvest's probes of one bucket spread over this many replicas' partitions. */
    static final int SHARDS = 16;
    /** Buckets per window: a probe counts at most a quarter of the window longer than the window. */
    static final int BUCKETS_PER_WINDOW = 4;
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraDomainProbeStore.class);

    private final CqlSession session;
    private final StatementOptions options;
    private final Clock clock;
    private final Duration window;
    private final Duration bucket;
    private final int maxCounted;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final PreparedStatement insertOverride;
    private final PreparedStatement selectOverrides;

    /**
     * Prepares its statements: the table must exist ({@link RcptGuardSchema#create}).
     *
     * @param maxCounted a tally counts recipients and networks up to this many
     */
    public CassandraDomainProbeStore(CqlSession session, CassandraStoreConfiguration configuration, Clock clock,
                                     Duration window, int maxCounted) {
        this.session = session;
        this.options = new StatementOptions(configuration);
        this.clock = clock;
        this.window = window;
        this.bucket = window.dividedBy(BUCKETS_PER_WINDOW);
        this.maxCounted = Math.max(1, maxCounted);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.insert = session.prepare("INSERT INTO " + table + " (" + DOMAIN + ", " + BUCKET + ", " + SHARD + ", "
            + RECIPIENT + ", " + NETWORK + ", " + NAMED_AT + ") VALUES (:" + DOMAIN + ", :" + BUCKET + ", :" + SHARD + ", :"
            + RECIPIENT + ", :" + NETWORK + ", :" + NAMED_AT + ") USING TTL :" + TTL);
        this.select = session.prepare("SELECT " + RECIPIENT + ", " + NETWORK + " FROM " + table + " WHERE " + DOMAIN
            + " = :" + DOMAIN + " AND " + BUCKET + " = :" + BUCKET + " AND " + SHARD + " = :" + SHARD + " LIMIT :" + LIMIT);
        String overrides = RcptGuardSchema.qualified(configuration.keyspace(), OVERRIDES_TABLE_NAME);
        this.insertOverride = session.prepare("INSERT INTO " + overrides + " (" + BUCKET + ", " + DOMAIN + ", " + KIND + ", "
            + SINCE + ", " + UNTIL + ") VALUES (:" + BUCKET + ", :" + DOMAIN + ", :" + KIND + ", :" + SINCE + ", :" + UNTIL
            + ") USING TTL :" + TTL);
        this.selectOverrides = session.prepare("SELECT " + DOMAIN + ", " + KIND + ", " + SINCE + ", " + UNTIL + " FROM "
            + overrides + " WHERE " + BUCKET + " = :" + BUCKET);
    }

    @Override
    public void record(DomainProbe probe) {
        Instant now = clock.instant();
        session.execute(options.write(insert.bind()
            .setString(DOMAIN, probe.domain())
            .setInstant(BUCKET, bucketOf(now))
            .setInt(SHARD, Math.floorMod(probe.recipient().hashCode(), SHARDS))
            .setString(RECIPIENT, probe.recipient())
            .setString(NETWORK, probe.clientNetwork().asString())
            .setInstant(NAMED_AT, now)
            .setInt(TTL, TimeToLive.seconds(window.plus(bucket)))));
    }

    @Override
    public ProbeTally tally(String domain) {
        Instant now = clock.instant();
        Instant oldest = bucketOf(now.minus(window));
        Set<String> recipients = new HashSet<>();
        Set<String> networks = new HashSet<>();
        // Newest bucket first, one bucket's shards at once, each page folded in and dropped: a tally holds at most
        // SHARDS pages and maxCounted values of each kind, however many probes a harvest aimed at the domain.
        for (Instant start = bucketOf(now); !start.isBefore(oldest) && !isFull(recipients, networks); start = start.minus(bucket)) {
            List<CompletableFuture<AsyncResultSet>> reads = new ArrayList<>(SHARDS);
            for (int shard = 0; shard < SHARDS; shard++) {
                reads.add(session.executeAsync(options.read(select.bind()
                    .setString(DOMAIN, domain)
                    .setInstant(BUCKET, start)
                    .setInt(SHARD, shard)
                    .setInt(LIMIT, maxCounted)
                    .setPageSize(maxCounted)))
                    .toCompletableFuture());
            }
            for (CompletableFuture<AsyncResultSet> read : reads) {
                // at most maxCounted rows, the page size: one page, one request
                for (Row row : join(read).currentPage()) {
                    addUpToLimit(recipients, row.getString(RECIPIENT));
                    addUpToLimit(networks, row.getString(NETWORK));
                }
            }
        }
        return new ProbeTally(recipients.size(), networks.size());
    }

    private boolean isFull(Set<String> recipients, Set<String> networks) {
        return recipients.size() >= maxCounted && networks.size() >= maxCounted;
    }

    private void addUpToLimit(Set<String> counted, String value) {
        if (counted.size() < maxCounted) {
            counted.add(value);
        }
    }

    @Override
    public void override(HarvestOverride override) {
        session.execute(options.write(insertOverride.bind()
            .setInt(BUCKET, OVERRIDES_BUCKET)
            .setString(DOMAIN, override.domain())
            .setString(KIND, override.kind().name())
            .setInstant(SINCE, override.since())
            .setInstant(UNTIL, override.until())
            .setInt(TTL, TimeToLive.seconds(Duration.between(clock.instant(), override.until())))));
    }

    @Override
    public List<HarvestOverride> overrides() {
        Instant now = clock.instant();
        List<HarvestOverride> overrides = new ArrayList<>();
        for (Row row : session.execute(options.read(selectOverrides.bind().setInt(BUCKET, OVERRIDES_BUCKET)))) {
            try {
                HarvestOverride override = new HarvestOverride(row.getString(DOMAIN),
                    HarvestOverride.Kind.valueOf(row.getString(KIND)), row.getInstant(SINCE), row.getInstant(UNTIL));
                if (override.isInForce(now)) {
                    overrides.add(override);
                }
            } catch (RuntimeException e) {
                // written by hand or by a later version: skipped, never fatal to the other overrides
                LOGGER.warn("Ignoring an unreadable RcptGuard harvest override of {}: {}", LogText.escape(row.getString(DOMAIN)),
                    LogText.escape(String.valueOf(e.getMessage())));
            }
        }
        return overrides;
    }

    private Instant bucketOf(Instant instant) {
        long millis = bucket.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), millis) * millis);
    }

    /** Waits for a read bounded by its own statement timeout; a failure is rethrown as the driver threw it. */
    private static AsyncResultSet join(CompletableFuture<AsyncResultSet> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }
}
