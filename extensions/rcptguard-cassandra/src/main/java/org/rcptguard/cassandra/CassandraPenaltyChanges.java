package org.rcptguard.cassandra;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

import org.rcptguard.core.ClientNetwork;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;

/**
 * The announcements of penalty changes (imposed, raised, lifted), one row per change in the minute's partition, so
 * that every node may serve a network's cached state for longer than a penalty may go unseen ({@link PenaltyChanges};
 * docs/design.md, "State"). A row names the network only: a node that reads it reads that network's state again.
 *
 * <pre>
 * CREATE TABLE rcptguard_penalty_changes (
 *     minute timestamp, written timeuuid, network text,
 *     PRIMARY KEY ((minute), written))
 * </pre>
 *
 * <p>Rows live {@link #RETENTION}; readers look back seconds only.
 */
final class CassandraPenaltyChanges implements PenaltyChanges.Feed {
    public static final String TABLE_NAME = "rcptguard_penalty_changes";
    public static final String MINUTE = MinutePartitions.MINUTE;
    public static final String WRITTEN = MinutePartitions.WRITTEN;
    public static final String NETWORK = "network";
    static final Duration RETENTION = Duration.ofMinutes(5);
    /** An announcement's write gives up after this whatever {@code cassandra.timeout} says: readers look back this far. */
    static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(1);

    private final CqlSession session;
    private final StatementOptions options;
    private final PreparedStatement insert;
    private final PreparedStatement selectSince;

    CassandraPenaltyChanges(CqlSession session, CassandraStoreConfiguration configuration) {
        this.session = session;
        this.options = new StatementOptions(configuration);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.insert = session.prepare("INSERT INTO " + table + " (" + MINUTE + ", " + WRITTEN + ", " + NETWORK + ")"
            + " VALUES (:" + MINUTE + ", :" + WRITTEN + ", :" + NETWORK + ") USING TTL " + RETENTION.toSeconds());
        this.selectSince = session.prepare("SELECT " + NETWORK + " FROM " + table
            + " WHERE " + MINUTE + " = :" + MINUTE + " AND " + WRITTEN + " > minTimeuuid(:" + WRITTEN + ")");
    }

    /** Announces that {@code clientNetwork}'s penalty changed: written now, by this node's clock. */
    void announce(ClientNetwork clientNetwork) {
        UUID written = Uuids.timeBased();
        session.execute(options.write(insert.bind()
            .setInstant(MINUTE, MinutePartitions.minute(written))
            .setUuid(WRITTEN, written)
            .setString(NETWORK, clientNetwork.asString())).setTimeout(ANNOUNCE_TIMEOUT));
    }

    @Override
    public void readSince(Instant minute, Instant since, Consumer<String> networks) {
        for (Row row : session.execute(options.read(selectSince.bind()
                .setInstant(MINUTE, MinutePartitions.minute(minute))
                .setInstant(WRITTEN, since)))) {
            String network = row.getString(NETWORK);
            if (network != null) {
                networks.accept(network);
            }
        }
    }
}
