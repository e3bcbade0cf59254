package org.rcptguard.cassandra;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;

/**
 * What each node tells the others of the triplets it recorded, so that their {@link TripletFilter}s hold every
 * triplet of the greylist: one row per publication, in the minute's partition, carrying the triplets' hashes and
 * expiry days; and the greylist's keys, read once when a node starts.
 *
 * <pre>
 * CREATE TABLE rcptguard_triplet_feed (
 *     minute timestamp, written timeuuid, hashes blob,
 *     PRIMARY KEY ((minute), written))
 * </pre>
 *
 * <p>{@code hashes} is a sequence of (hash: 8 bytes, expiry day: 8 bytes), big-endian. Rows live
 * {@link #RETENTION}: a node that has not read the feed for half as long scans the greylist again.
 */
final class CassandraTripletFeed implements SharedTripletFilter.Feed {
    public static final String TABLE_NAME = "rcptguard_triplet_feed";
    public static final String MINUTE = MinutePartitions.MINUTE;
    public static final String WRITTEN = MinutePartitions.WRITTEN;
    public static final String HASHES = "hashes";
    static final Duration RETENTION = Duration.ofMinutes(10);
    /** A publication's write gives up after this whatever {@code cassandra.timeout} says: readers look back this far. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(1);
    static final int ENTRY_BYTES = 16;
    /** Pages of the greylist's scan: long enough for a page, far from the RCPT path's timeout. */
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(30);
    private static final int SCAN_PAGE = 5_000;

    private final CqlSession session;
    private final StatementOptions options;
    private final PreparedStatement insert;
    private final PreparedStatement selectSince;
    private final PreparedStatement scan;

    CassandraTripletFeed(CqlSession session, CassandraStoreConfiguration configuration) {
        this.session = session;
        this.options = new StatementOptions(configuration);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.insert = session.prepare("INSERT INTO " + table + " (" + MINUTE + ", " + WRITTEN + ", " + HASHES + ")"
            + " VALUES (:" + MINUTE + ", :" + WRITTEN + ", :" + HASHES + ") USING TTL " + RETENTION.toSeconds());
        this.selectSince = session.prepare("SELECT " + HASHES + " FROM " + table
            + " WHERE " + MINUTE + " = :" + MINUTE + " AND " + WRITTEN + " > minTimeuuid(:" + WRITTEN + ")");
        String triplets = RcptGuardSchema.qualified(configuration.keyspace(), CassandraTripletStore.TABLE_NAME);
        this.scan = session.prepare("SELECT " + CassandraTripletStore.NETWORK + ", " + CassandraTripletStore.SENDER + ", "
            + CassandraTripletStore.RECIPIENT + ", TTL(" + CassandraTripletStore.LAST_SEEN + ") FROM " + triplets);
    }

    /** Publishes {@code entries} ({@link #ENTRY_BYTES} each), written now by this node's clock. */
    @Override
    public void publish(ByteBuffer entries) {
        UUID written = Uuids.timeBased();
        session.execute(options.write(insert.bind()
            .setInstant(MINUTE, MinutePartitions.minute(written))
            .setUuid(WRITTEN, written)
            .setByteBuffer(HASHES, entries)).setTimeout(PUBLISH_TIMEOUT));
    }

    /** Reads the entries published in {@code minute}'s partition after {@code since}. */
    @Override
    public void readSince(Instant minute, Instant since, SharedTripletFilter.Entries entries) {
        for (Row row : session.execute(options.read(selectSince.bind()
                .setInstant(MINUTE, MinutePartitions.minute(minute))
                .setInstant(WRITTEN, since)))) {
            ByteBuffer published = row.getByteBuffer(HASHES);
            if (published != null) {
                for (int at = published.position(); at + ENTRY_BYTES <= published.limit(); at += ENTRY_BYTES) {
                    entries.accept(published.getLong(at), published.getLong(at + 8));
                }
            }
        }
    }

    /** Reads the key of every triplet in the greylist, page by page, with the day its record expires. */
    @Override
    public void scanGreylist(Instant now, SharedTripletFilter.Entries entries) {
        for (Row row : session.execute(options.read(scan.bind()).setPageSize(SCAN_PAGE).setTimeout(SCAN_TIMEOUT))) {
            String network = row.getString(0);
            String sender = row.getString(1);
            String recipient = row.getString(2);
            // TTL(last_seen): every greylist row is written whole with its time to live
            int ttl = row.isNull(3) ? 0 : row.getInt(3);
            if (network != null && sender != null && recipient != null) {
                entries.accept(TripletFilter.hash(network, sender, recipient), expiryDay(now.plusSeconds(ttl)));
            }
        }
    }

    static long expiryDay(Instant expiresAt) {
        return Math.floorDiv(expiresAt.getEpochSecond(), 86_400L);
    }
}
