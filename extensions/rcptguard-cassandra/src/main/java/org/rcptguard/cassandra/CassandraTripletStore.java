package org.rcptguard.cassandra;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.TripletStore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

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
 * <p>A record that has not passed is written with a null {@code passed_at}, so that saving replaces the whole
 * record (the price: one cell tombstone per new triplet, purged after {@code gc_grace_seconds}).
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
        session.execute(options.write(insert.bind()
            .setString(NETWORK, triplet.client().storedKey())
            .setString(SENDER, triplet.sender())
            .setString(RECIPIENT, triplet.recipient())
            .setInstant(FIRST_SEEN, record.firstSeen())
            .setInstant(PASSED_AT, record.passedAt().orElse(null))
            .setInstant(LAST_SEEN, record.lastSeen())
            .setInt(TTL, TimeToLive.seconds(ttl))));
    }

    @Override
    public void forget(Triplet triplet) {
        session.execute(options.write(delete.bind()
            .setString(NETWORK, triplet.client().storedKey())
            .setString(SENDER, triplet.sender())
            .setString(RECIPIENT, triplet.recipient())));
    }
}
