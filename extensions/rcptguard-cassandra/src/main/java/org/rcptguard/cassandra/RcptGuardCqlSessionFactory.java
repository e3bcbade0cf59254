package org.rcptguard.cassandra;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

/**
 * RcptGuard's own {@link CqlSession}, for a James that has none to lend (e.g. the memory app) or when RcptGuard's
 * state lives in another cluster: contact points, local data center, credentials and timeouts of
 * {@link CassandraStoreConfiguration}. {@link #open} also creates the keyspace and tables and gives the stores.
 */
public final class RcptGuardCqlSessionFactory {
    /** How long to wait for a reconnection attempt at most: a node back from a pause or restart is used again soon. */
    static final Duration RECONNECTION_MAX_DELAY = Duration.ofSeconds(10);

    private final CassandraStoreConfiguration configuration;

    public RcptGuardCqlSessionFactory(CassandraStoreConfiguration configuration) {
        this.configuration = configuration;
    }

    /**
     * A session builder set up from the configuration, for callers that add to it (e.g. a request tracker) before
     * building. The request timeout applies to requests without their own; RcptGuard's statements set theirs.
     */
    public CqlSessionBuilder sessionBuilder() {
        CqlSessionBuilder builder = CqlSession.builder()
            .withLocalDatacenter(configuration.localDatacenter())
            .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.SESSION_NAME, "rcptguard")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, configuration.timeout())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, configuration.readConsistency().name())
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, RECONNECTION_MAX_DELAY)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, RcptGuardSchema.SCHEMA_TIMEOUT)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, RcptGuardSchema.SCHEMA_TIMEOUT)
                .build());
        configuration.contactPoints().forEach(point ->
            builder.addContactPoint(new InetSocketAddress(point.host(), point.port())));
        configuration.credentials().ifPresent(credentials ->
            builder.withAuthCredentials(credentials.username(), credentials.password()));
        return builder;
    }

    /** Connects; the caller owns (closes) the session. */
    public CqlSession createSession() {
        return sessionBuilder().build();
    }

    /** Connects, creates the keyspace and tables if missing and prepares the stores; closing them closes the session. */
    public CassandraStores open(Clock clock, StoreLimits limits) {
        return open(clock, limits, UnaryOperator.identity());
    }

    /** As {@link #open(Clock, StoreLimits)}, {@code customizer} adding to the session builder first. */
    public CassandraStores open(Clock clock, StoreLimits limits, UnaryOperator<CqlSessionBuilder> customizer) {
        return CassandraStores.owning(customizer.apply(sessionBuilder()).build(), configuration, clock, limits);
    }

    /**
     * Creates the keyspace and tables on a session RcptGuard does not own (James's own, where a Cassandra-backed
     * James binds one) and prepares the stores on it.
     */
    public CassandraStores onSession(CqlSession session, Clock clock, StoreLimits limits) {
        return CassandraStores.onSession(session, configuration, clock, limits);
    }
}
