package org.rcptguard.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.store.UnknownRecipientStore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * Unknown-recipient events in Cassandra: one partition per client network, one clustering row per distinct
 * unknown recipient, each living the scan window.
 *
 * <pre>
 * CREATE TABLE rcptguard_unknown_recipients (
 *     network text, recipient text, named_at timestamp,
 *     PRIMARY KEY (network, recipient))
 * </pre>
 *
 * <p>{@link #recordAndCount} is one write and one read, sent together (one round trip of latency, no
 * read-before-write): the count is the recipients read plus this one, whether or not the read already saw the
 * write. At most {@code maxCountedRecipients} rows are read: counting stops there.
 */
public final class CassandraUnknownRecipientStore implements UnknownRecipientStore {
    public static final String TABLE_NAME = "rcptguard_unknown_recipients";
    public static final String NETWORK = "network";
    public static final String RECIPIENT = "recipient";
    /** When the recipient was last named (for operators; the row's TTL is what counts). */
    public static final String NAMED_AT = "named_at";
    public static final String TTL = "ttl";
    public static final String LIMIT = "max_rows";

    private final CqlSession session;
    private final StatementOptions options;
    private final Clock clock;
    private final int maxCountedRecipients;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final PreparedStatement deleteNetwork;

    /**
     * Prepares its statements: the table must exist ({@link RcptGuardSchema#create}).
     *
     * @param maxCountedRecipients counting stops there, e.g. the scan threshold plus the levels that still raise
     *                             the penalty
     */
    public CassandraUnknownRecipientStore(CqlSession session, CassandraStoreConfiguration configuration, Clock clock,
                                          int maxCountedRecipients) {
        this.session = session;
        this.options = new StatementOptions(configuration);
        this.clock = clock;
        this.maxCountedRecipients = Math.max(1, maxCountedRecipients);
        String table = RcptGuardSchema.qualified(configuration.keyspace(), TABLE_NAME);
        this.insert = session.prepare("INSERT INTO " + table + " (" + NETWORK + ", " + RECIPIENT + ", " + NAMED_AT + ")"
            + " VALUES (:" + NETWORK + ", :" + RECIPIENT + ", :" + NAMED_AT + ") USING TTL :" + TTL);
        this.select = session.prepare("SELECT " + RECIPIENT + " FROM " + table
            + " WHERE " + NETWORK + " = :" + NETWORK + " LIMIT :" + LIMIT);
        this.deleteNetwork = session.prepare("DELETE FROM " + table + " WHERE " + NETWORK + " = :" + NETWORK);
    }

    @Override
    public int count(ClientNetwork clientNetwork) {
        int count = 0;
        for (Row ignored : session.execute(options.read(select.bind()
            .setString(NETWORK, clientNetwork.asString())
            .setInt(LIMIT, maxCountedRecipients)
            .setPageSize(maxCountedRecipients)))) {
            count++;
        }
        return count;
    }

    /** One partition deletion; recipients named afterwards (newer writes) count again. */
    @Override
    public void forget(ClientNetwork clientNetwork) {
        session.execute(options.write(deleteNetwork.bind().setString(NETWORK, clientNetwork.asString())));
    }

    @Override
    public int recordAndCount(ClientNetwork clientNetwork, String recipient, Duration window) {
        return Math.min(recordAndRead(clientNetwork, recipient, window).size(), maxCountedRecipients);
    }

    /**
     * Records the event and reads the network's recipients, sent together (one round trip): the recipients read
     * plus this one, at most {@code maxCountedRecipients} read.
     */
    Set<String> recordAndRead(ClientNetwork clientNetwork, String recipient, Duration window) {
        CompletableFuture<AsyncResultSet> written = session.executeAsync(insert(clientNetwork, recipient, window))
            .toCompletableFuture();
        CompletableFuture<AsyncResultSet> read = session.executeAsync(options.read(select.bind()
            .setString(NETWORK, clientNetwork.asString())
            .setInt(LIMIT, maxCountedRecipients)
            .setPageSize(maxCountedRecipients)))
            .toCompletableFuture();
        await(written);
        AsyncResultSet rows = await(read);
        Set<String> recipients = new HashSet<>();
        recipients.add(recipient);
        // at most maxCountedRecipients rows, the page size: one page, one request
        for (Row row : rows.currentPage()) {
            recipients.add(row.getString(RECIPIENT));
        }
        return recipients;
    }

    /** Records the event alone: one write. */
    void record(ClientNetwork clientNetwork, String recipient, Duration window) {
        session.execute(insert(clientNetwork, recipient, window));
    }

    private BoundStatement insert(ClientNetwork clientNetwork, String recipient, Duration window) {
        return options.write(insert.bind()
            .setString(NETWORK, clientNetwork.asString())
            .setString(RECIPIENT, recipient)
            .setInstant(NAMED_AT, clock.instant())
            .setInt(TTL, TimeToLive.seconds(window)));
    }

    /** Waits for a request bounded by its own statement timeout; a failure is rethrown as the driver threw it. */
    private static <T> T await(CompletableFuture<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new CompletionException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
