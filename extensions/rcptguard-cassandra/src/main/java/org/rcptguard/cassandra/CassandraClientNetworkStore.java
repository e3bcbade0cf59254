package org.rcptguard.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.store.ClientNetworkStore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * Reputation and penalty of client networks in Cassandra: one partition per client network, holding one
 * clustering row per distinct passed triplet and the penalty in static columns, so that {@link #load} is one
 * read returning both.
 *
 * <pre>
 * CREATE TABLE rcptguard_client_networks (
 *     network text, sender text, recipient text, recorded_at timestamp,
 *     penalty_level int STATIC, penalty_until timestamp STATIC,
 *     PRIMARY KEY (network, sender, recipient))
 * </pre>
 *
 * <p>Every change of a penalty is also announced to the other nodes ({@link CassandraPenaltyChanges}), after it is
 * written: a node hearing of it reads the network again.
 *
 * <p>A passed-triplet row lives {@code ttl}; the penalty's cells live until {@link Penalty#until()} (and up to 2 s
 * more: TTLs are whole seconds, see {@link TimeToLive}), and it is not returned once over. {@link #load} reads at
 * most {@code maxPassedTriplets} rows: the auto-whitelist threshold is all that is ever asked.
 */
public final class CassandraClientNetworkStore implements ClientNetworkStore {
    public static final String TABLE_NAME = "rcptguard_client_networks";
    public static final String NETWORK = "network";
    public static final String SENDER = "sender";
    public static final String RECIPIENT = "recipient";
    /** When the passed triplet was last recorded (for operators; the row's TTL is what counts). */
    public static final String RECORDED_AT = "recorded_at";
    public static final String PENALTY_LEVEL = "penalty_level";
    public static final String PENALTY_UNTIL = "penalty_until";
    public static final String TTL = "ttl";
    public static final String LIMIT = "max_rows";

    private final CqlSession session;
    private final StatementOptions options;
    private final Clock clock;
    private final int maxPassedTriplets;
    private final PreparedStatement select;
    private final PreparedStatement insertPassedTriplet;
    private final PreparedStatement updatePenalty;
    private final PreparedStatement deletePenalty;
    private final CassandraPenaltyChanges changes;

    /**
     * Prepares its statements: the table must exist ({@link RcptGuardSchema#create}).
     *
     * @param maxPassedTriplets counting stops there (the auto-whitelist threshold; at least 1 row is read)
     * @param changes           where every change of a penalty is announced
     */
    CassandraClientNetworkStore(CqlSession session, CassandraStoreConfiguration configuration, Clock clock,
                                int maxPassedTriplets, CassandraPenaltyChanges changes) {
        this.session = session;
        this.changes = changes;
        this.options = new StatementOptions(configuration);
        this.clock = clock;
        this.maxPassedTriplets = Math.max(1, maxPassedTriplets);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.select = session.prepare("SELECT " + RECIPIENT + ", " + PENALTY_LEVEL + ", " + PENALTY_UNTIL + " FROM " + table
            + " WHERE " + NETWORK + " = :" + NETWORK + " LIMIT :" + LIMIT);
        this.insertPassedTriplet = session.prepare("INSERT INTO " + table
            + " (" + NETWORK + ", " + SENDER + ", " + RECIPIENT + ", " + RECORDED_AT + ")"
            + " VALUES (:" + NETWORK + ", :" + SENDER + ", :" + RECIPIENT + ", :" + RECORDED_AT + ") USING TTL :" + TTL);
        this.updatePenalty = session.prepare("UPDATE " + table + " USING TTL :" + TTL
            + " SET " + PENALTY_LEVEL + " = :" + PENALTY_LEVEL + ", " + PENALTY_UNTIL + " = :" + PENALTY_UNTIL
            + " WHERE " + NETWORK + " = :" + NETWORK);
        this.deletePenalty = session.prepare("DELETE " + PENALTY_LEVEL + ", " + PENALTY_UNTIL + " FROM " + table
            + " WHERE " + NETWORK + " = :" + NETWORK);
    }

    @Override
    public ClientNetworkState load(ClientNetwork clientNetwork) {
        return state(session.execute(select(clientNetwork)));
    }

    @Override
    public CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
        return session.executeAsync(select(clientNetwork)).toCompletableFuture().thenApply(rows -> state(rows.currentPage()));
    }

    private BoundStatement select(ClientNetwork clientNetwork) {
        return options.read(select.bind()
            .setString(NETWORK, clientNetwork.asString())
            .setInt(LIMIT, maxPassedTriplets)
            .setPageSize(maxPassedTriplets)); // one page: one request
    }

    private ClientNetworkState state(Iterable<Row> rows) {
        int passed = 0;
        Optional<Penalty> penalty = Optional.empty();
        Instant now = clock.instant();
        for (Row row : rows) {
            // a partition holding only the penalty yields one row whose clustering columns are null
            if (row.getString(RECIPIENT) != null) {
                passed++;
            }
            if (penalty.isEmpty()) {
                penalty = penalty(row, now);
            }
        }
        return new ClientNetworkState(passed, penalty);
    }

    private static Optional<Penalty> penalty(Row row, Instant now) {
        if (row.isNull(PENALTY_LEVEL) || row.isNull(PENALTY_UNTIL)) {
            return Optional.empty();
        }
        int level = row.getInt(PENALTY_LEVEL);
        Instant until = row.getInstant(PENALTY_UNTIL);
        if (level < 1 || !now.isBefore(until)) {
            return Optional.empty(); // over, but its whole-second TTL has not run out yet
        }
        return Optional.of(new Penalty(level, until));
    }

    @Override
    public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
        session.execute(options.write(insertPassedTriplet.bind()
            .setString(NETWORK, clientNetwork.asString())
            .setString(SENDER, triplet.sender())
            .setString(RECIPIENT, triplet.recipient())
            .setInstant(RECORDED_AT, clock.instant())
            .setInt(TTL, TimeToLive.seconds(ttl))));
    }

    @Override
    public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
        session.execute(options.write(updatePenalty.bind()
            .setString(NETWORK, clientNetwork.asString())
            .setInt(PENALTY_LEVEL, penalty.level())
            .setInstant(PENALTY_UNTIL, penalty.until())
            .setInt(TTL, TimeToLive.seconds(Duration.between(clock.instant(), penalty.until())))));
        changes.announce(clientNetwork);
    }

    /** Deletes the penalty's static cells; a later {@link #penalise} (a newer write) sets them again. */
    @Override
    public void liftPenalty(ClientNetwork clientNetwork) {
        session.execute(options.write(deletePenalty.bind().setString(NETWORK, clientNetwork.asString())));
        changes.announce(clientNetwork);
    }
}
