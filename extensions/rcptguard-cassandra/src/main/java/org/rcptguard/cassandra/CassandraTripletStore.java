package org.rcptguard.cassandra;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.TripletStore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;

/**
 * The greylist in Cassandra: one partition per triplet, every row written with the record's time to live.
 * {@link #find} is one read, {@link #save} one write.
 *
 * <pre>
 * CREATE TABLE rcptguard_triplets (
 *     network text, sender text, recipient text,
 *     first_seen timestamp, passed_at timestamp, last_seen timestamp,
 *     PRIMARY KEY ((network, sender, recipient)))
 * </pre>
 *
 * <p>A record that has not passed leaves {@code passed_at} unset: a null would write one cell tombstone per first
 * contact. Nothing is lost by not replacing the cell: a record that has not passed is only written over an absent
 * row or one that has not passed either (a passed row is written again only as passed, and it is gone, by its
 * TTL or by {@link #forget}, before its triplet starts over).
 */
public final class CassandraTripletStore implements TripletStore {
    public static final String TABLE_NAME = "rcptguard_triplets";
    public static final String NETWORK = "network";
    public static final String SENDER = "sender";
    public static final String RECIPIENT = "recipient";
    public static final String FIRST_SEEN = "first_seen";
    public static final String PASSED_AT = "passed_at";
    public static final String LAST_SEEN = "last_seen";
    public static final String TTL = "ttl";

    private final CqlSession session;
    private final StatementOptions options;
    private final PreparedStatement select;
    private final PreparedStatement insert;
    private final PreparedStatement delete;

    /** Prepares its statements: the table must exist ({@link RcptGuardSchema#create}). */
    public CassandraTripletStore(CqlSession session, CassandraStoreConfiguration configuration) {
        this.session = session;
        this.options = new StatementOptions(configuration);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.select = session.prepare("SELECT " + FIRST_SEEN + ", " + PASSED_AT + ", " + LAST_SEEN + " FROM " + table
            + " WHERE " + NETWORK + " = :" + NETWORK + " AND " + SENDER + " = :" + SENDER + " AND " + RECIPIENT + " = :" + RECIPIENT);
        this.insert = session.prepare("INSERT INTO " + table
            + " (" + NETWORK + ", " + SENDER + ", " + RECIPIENT + ", " + FIRST_SEEN + ", " + PASSED_AT + ", " + LAST_SEEN + ")"
            + " VALUES (:" + NETWORK + ", :" + SENDER + ", :" + RECIPIENT + ", :" + FIRST_SEEN + ", :" + PASSED_AT + ", :" + LAST_SEEN + ")"
            + " USING TTL :" + TTL);
        this.delete = session.prepare("DELETE FROM " + table
            + " WHERE " + NETWORK + " = :" + NETWORK + " AND " + SENDER + " = :" + SENDER + " AND " + RECIPIENT + " = :" + RECIPIENT);
    }

    @Override
    public Optional<TripletRecord> find(Triplet triplet) {
        return record(session.execute(select(triplet)).one());
    }

    @Override
    public CompletableFuture<Optional<TripletRecord>> findAsync(Triplet triplet) {
        return session.executeAsync(select(triplet)).toCompletableFuture().thenApply(rows -> record(rows.one()));
    }

    private BoundStatement select(Triplet triplet) {
        return options.read(select.bind()
            .setString(NETWORK, triplet.client().storedKey())
            .setString(SENDER, triplet.sender())
            .setString(RECIPIENT, triplet.recipient()));
    }

    private static Optional<TripletRecord> record(Row row) {
        if (row == null) {
            return Optional.empty();
        }
        Instant firstSeen = row.getInstant(FIRST_SEEN);
        Instant lastSeen = row.getInstant(LAST_SEEN);
        if (firstSeen == null || lastSeen == null) {
            return Optional.empty(); // not written by this class
        }
        return Optional.of(new TripletRecord(firstSeen, Optional.ofNullable(row.getInstant(PASSED_AT)), lastSeen));
    }

    @Override
    public void save(Triplet triplet, TripletRecord record, Duration ttl) {
        session.execute(insert(triplet, record, ttl));
    }

    /**
     * Sends writes of {@link #insert} as one request, for writes whose reply does not wait ({@link DeferredWrites}):
     * several go as an unlogged batch (one request, each row still its own partition's write).
     */
    CompletableFuture<?> saveAll(List<BoundStatement> inserts) {
        Statement<?> statement = inserts.size() == 1 ? inserts.get(0)
            : options.write(BatchStatement.newInstance(DefaultBatchType.UNLOGGED, inserts.toArray(new BatchableStatement<?>[0])));
        return session.executeAsync(statement).toCompletableFuture();
    }

    /** The write of {@link #save}. */
    BoundStatement insert(Triplet triplet, TripletRecord record, Duration ttl) {
        BoundStatement statement = insert.bind()
            .setString(NETWORK, triplet.client().storedKey())
            .setString(SENDER, triplet.sender())
            .setString(RECIPIENT, triplet.recipient())
            .setInstant(FIRST_SEEN, record.firstSeen())
            .setInstant(LAST_SEEN, record.lastSeen())
            .setInt(TTL, TimeToLive.seconds(ttl));
        if (record.isPassed()) {
            statement = statement.setInstant(PASSED_AT, record.passedAt().get());
        }
        return options.write(statement);
    }

    @Override
    public void forget(Triplet triplet) {
        session.execute(options.write(delete.bind()
            .setString(NETWORK, triplet.client().storedKey())
            .setString(SENDER, triplet.sender())
            .setString(RECIPIENT, triplet.recipient())));
    }
}
