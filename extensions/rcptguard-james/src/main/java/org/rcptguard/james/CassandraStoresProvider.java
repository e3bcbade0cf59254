package org.rcptguard.james;

import java.time.Clock;

import org.rcptguard.cassandra.CassandraStoreConfiguration;
import org.rcptguard.cassandra.CassandraStores;
import org.rcptguard.cassandra.RcptGuardCqlSessionFactory;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;

/**
 * The Cassandra store on RcptGuard's own session ({@code cassandra.session=own}, any James), or on the
 * {@link CqlSession} a Cassandra-backed James binds ({@code cassandra.session=james}).
 */
final class CassandraStoresProvider {
    private CassandraStoresProvider() {
    }

    static CassandraStores open(CassandraStoreConfiguration cassandra, RcptGuardConfiguration configuration, Clock clock,
                                Injector injector, RcptGuardMetrics metrics) {
        StoreLimits limits = StoreLimits.of(configuration);
        RcptGuardCqlSessionFactory factory = new RcptGuardCqlSessionFactory(cassandra);
        if (!cassandra.useJamesSession()) {
            return factory.open(clock, limits, builder -> builder.addRequestTracker(new CassandraRequestCounter(metrics)));
        }
        Binding<CqlSession> jamesSession = injector.getExistingBinding(Key.get(CqlSession.class));
        if (jamesSession == null) {
            throw new InvalidConfigurationException(CassandraStoreConfiguration.SESSION, "james",
                "this James binds no CqlSession (it is not Cassandra-backed): use own");
        }
        return factory.onSession(jamesSession.getProvider().get(), clock, limits);
    }
}
