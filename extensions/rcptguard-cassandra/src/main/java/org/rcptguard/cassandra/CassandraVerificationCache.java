package org.rcptguard.cassandra;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.directory.VerificationCache;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * SMTP verification answers in Cassandra, shared by every James node of a cluster: one partition per address (or
 * {@code @domain} for a backend's catch-all status), each row written with its time to live. Its table is a step of
 * {@link RcptGuardMigrations}.
 *
 * <pre>
 * CREATE TABLE rcptguard_verifications (address text PRIMARY KEY, answer text, verified_at timestamp)
 * </pre>
 */
public final class CassandraVerificationCache implements VerificationCache {
    public static final String TABLE_NAME = "rcptguard_verifications";
    public static final String ADDRESS = "address";
    public static final String ANSWER = "answer";
    public static final String VERIFIED_AT = "verified_at";
    public static final String TTL = "ttl";

    private final CqlSession session;
    private final StatementOptions options;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final PreparedStatement delete;

    /** Prepares its statements: the table must exist ({@link RcptGuardSchema#create}). */
    public CassandraVerificationCache(CqlSession session, CassandraStoreConfiguration configuration) {
        this.session = session;
        this.options = new StatementOptions(configuration);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.insert = session.prepare("INSERT INTO " + table + " (" + ADDRESS + ", " + ANSWER + ", " + VERIFIED_AT + ")"
            + " VALUES (:" + ADDRESS + ", :" + ANSWER + ", :" + VERIFIED_AT + ") USING TTL :" + TTL);
        this.delete = session.prepare("DELETE FROM " + table + " WHERE " + ADDRESS + " = :" + ADDRESS);
        this.select = session.prepare("SELECT " + ANSWER + " FROM " + table + " WHERE " + ADDRESS + " = :" + ADDRESS);
    }

    @Override
    public Optional<RecipientClass> find(String key) {
        Row row = session.execute(options.read(select.bind().setString(ADDRESS, key))).one();
        if (row == null || row.getString(ANSWER) == null) {
            return Optional.empty();
        }
        try {
            RecipientClass answer = RecipientClass.valueOf(row.getString(ANSWER));
            return answer == RecipientClass.UNDECIDED ? Optional.empty() : Optional.of(answer);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void forget(String key) {
        session.execute(options.write(delete.bind().setString(ADDRESS, key)));
    }

    @Override
    public void save(String key, RecipientClass answer, Duration ttl) {
        if (answer == RecipientClass.UNDECIDED) {
            throw new IllegalArgumentException("an undecided answer is never cached");
        }
        session.execute(options.write(insert.bind()
            .setString(ADDRESS, key)
            .setString(ANSWER, answer.name())
            .setInstant(VERIFIED_AT, Instant.now())
            .setInt(TTL, TimeToLive.seconds(ttl))));
    }
}
