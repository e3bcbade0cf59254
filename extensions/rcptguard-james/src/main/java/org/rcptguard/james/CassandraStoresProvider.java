package org.rcptguard.james;

import java.time.Clock;

import javax.inject.Inject;
import javax.inject.Provider;

import org.rcptguard.cassandra.CassandraStoreConfiguration;
import org.rcptguard.cassandra.CassandraStores;
import org.rcptguard.cassandra.RcptGuardCqlSessionFactory;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;

/**
 * The Cassandra store on RcptGuard's own session ({@code cassandra.session=own}, any James), closed when James stops,
 * or on the {@link CqlSession} a Cassandra-backed James binds ({@code cassandra.session=james}), left to James.
 */
final class CassandraStoresProvider implements Provider<CassandraStores> {
    private final CassandraStoreConfiguration cassandra;
    private final RcptGuardConfiguration configuration;
    private final Clock clock;
    private final RcptGuardMetrics metrics;
    private final RcptGuardShutdown shutdown;
    private CqlSession jamesSession;

    @Inject
    CassandraStoresProvider(CassandraStoreConfiguration cassandra, RcptGuardConfiguration configuration, Clock clock,
                            RcptGuardMetrics metrics, RcptGuardShutdown shutdown) {
        this.cassandra = cassandra;
        this.configuration = configuration;
        this.clock = clock;
        this.metrics = metrics;
        this.shutdown = shutdown;
    }

    /** Only a Cassandra-backed James binds a session: Guice calls this where there is one. */
    @com.google.inject.Inject(optional = true)
    void jamesSession(CqlSession session) {
        this.jamesSession = session;
    }

    @Override
    public CassandraStores get() {
        StoreLimits limits = StoreLimits.of(configuration);
        RcptGuardCqlSessionFactory factory = new RcptGuardCqlSessionFactory(cassandra);
        if (!cassandra.useJamesSession()) {
            return shutdown.closeOnStop(
                factory.open(clock, limits, builder -> builder.addRequestTracker(new CassandraRequestCounter(metrics))));
        }
        if (jamesSession == null) {
            throw new InvalidConfigurationException(CassandraStoreConfiguration.SESSION, "james",
                "this James binds no CqlSession (it is not Cassandra-backed): use own");
        }
        return factory.onSession(jamesSession, clock, limits);
    }
}
