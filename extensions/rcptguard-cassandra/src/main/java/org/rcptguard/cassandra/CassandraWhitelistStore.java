package org.rcptguard.cassandra;

import java.util.ArrayList;
import java.util.List;

import org.rcptguard.core.LogText;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.WhitelistKind;
import org.rcptguard.core.store.WhitelistStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * The run-time whitelist in Cassandra: one small partition holding every entry, so that each node's periodic
 * {@link #list()} is one single-partition read (never on the RCPT path).
 *
 * <pre>
 * CREATE TABLE rcptguard_whitelist (
 *     bucket int, kind text, value text, added_at timestamp,
 *     PRIMARY KEY (bucket, kind, value))
 * </pre>
 *
 * <p>Entries have no time to live: they last until removed. {@code bucket} is always {@value #BUCKET}; it exists
 * so that the table can be split later without changing its key.
 */
public final class CassandraWhitelistStore implements WhitelistStore {
    public static final String TABLE_NAME = "rcptguard_whitelist";
    public static final String BUCKET_COLUMN = "bucket";
    public static final String KIND = "kind";
    public static final String VALUE = "value";
    /** When the entry was (last) added, for operators. */
    public static final String ADDED_AT = "added_at";
    public static final int BUCKET = 0;

    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraWhitelistStore.class);

    private final CqlSession session;
    private final StatementOptions options;
    private final PreparedStatement select;
    private final PreparedStatement insert;
    private final PreparedStatement delete;

    /** Prepares its statements: the table must exist ({@link RcptGuardSchema#create}). */
    public CassandraWhitelistStore(CqlSession session, CassandraStoreConfiguration configuration) {
        this.session = session;
        this.options = new StatementOptions(configuration);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.select = session.prepare("SELECT " + KIND + ", " + VALUE + " FROM " + table
            + " WHERE " + BUCKET_COLUMN + " = :" + BUCKET_COLUMN);
        this.insert = session.prepare("INSERT INTO " + table + " (" + BUCKET_COLUMN + ", " + KIND + ", " + VALUE + ", " + ADDED_AT + ")"
            + " VALUES (:" + BUCKET_COLUMN + ", :" + KIND + ", :" + VALUE + ", toTimestamp(now()))");
        this.delete = session.prepare("DELETE FROM " + table
            + " WHERE " + BUCKET_COLUMN + " = :" + BUCKET_COLUMN + " AND " + KIND + " = :" + KIND + " AND " + VALUE + " = :" + VALUE);
    }

    @Override
    public List<WhitelistEntry> list() {
        List<WhitelistEntry> entries = new ArrayList<>();
        for (Row row : session.execute(options.read(select.bind().setInt(BUCKET_COLUMN, BUCKET)))) {
            try {
                entries.add(WhitelistEntry.of(WhitelistKind.parse(row.getString(KIND)), row.getString(VALUE)));
            } catch (IllegalArgumentException e) {
                // written by hand or by a later version: skipped, never fatal to the whole whitelist
                LOGGER.warn("Ignoring an unreadable RcptGuard whitelist row {}={}: {}", LogText.escape(row.getString(KIND)),
                    LogText.escape(row.getString(VALUE)), LogText.escape(e.getMessage()));
            }
        }
        return entries;
    }

    @Override
    public void add(WhitelistEntry entry) {
        session.execute(options.write(insert.bind()
            .setInt(BUCKET_COLUMN, BUCKET)
            .setString(KIND, entry.kind().settingValue())
            .setString(VALUE, entry.value())));
    }

    @Override
    public void remove(WhitelistEntry entry) {
        session.execute(options.write(delete.bind()
            .setInt(BUCKET_COLUMN, BUCKET)
            .setString(KIND, entry.kind().settingValue())
            .setString(VALUE, entry.value())));
    }
}
