package org.rcptguard.james;

import java.io.FileNotFoundException;
import java.time.Clock;
import java.util.Properties;

import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.utils.PropertiesProvider;
import org.rcptguard.cassandra.CassandraStoreConfiguration;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.BoundedBackgroundLookups;
import org.rcptguard.core.SharedWhitelist;
import org.rcptguard.core.memory.MemoryStores;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.james.directory.DirectoryProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;

/**
 * Wires RcptGuard into James: {@code guice.extension.module=org.rcptguard.james.RcptGuardModule} in
 * {@code extensions.properties}. Reads {@code conf/rcptguard.properties} once; everything here is a singleton shared
 * by the hooks of every {@code <smtpserver>}, the WebAdmin routes ({@code RcptGuardRoutes}) and the health check
 * ({@link RcptGuardHealthCheck}): James instantiates all of them through the one injector of its extensions.
 */
public class RcptGuardModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(RecipientDirectory.class).toProvider(DirectoryProvider.class).in(Singleton.class);
        bind(DataStageRegistration.class).in(Singleton.class);
        bind(DecisionLog.class).in(Singleton.class);
        bind(DecisionCounters.class).in(Singleton.class);
        bind(DecisionRecorder.class).in(Singleton.class);
        bind(RcptGuardMetrics.class).in(Singleton.class);
    }

    /** The look-ups no reply waits for (scan detection's before a triplet passed), bounded per recipient domain. */
    @Provides
    @Singleton
    BoundedBackgroundLookups backgroundLookups(RcptGuardConfiguration configuration, RcptGuardMetrics metrics) {
        return new BoundedBackgroundLookups(configuration.backgroundLookupThreads(), configuration.backgroundLookupQueue(),
            metrics::recordDroppedBackgroundLookup);
    }

    @Provides
    @Singleton
    RcptGuardNode node(RcptGuardConfiguration configuration, Clock clock) {
        return RcptGuardNode.of(configuration, clock);
    }

    @Provides
    @Singleton
    RcptGuardProperties properties(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return new RcptGuardProperties(asProperties(propertiesProvider.getConfiguration("rcptguard")));
        } catch (FileNotFoundException e) {
            return new RcptGuardProperties(new Properties());
        }
    }

    private static Properties asProperties(Configuration configuration) {
        Properties properties = new Properties();
        // James's reader splits values at commas; the lists of rcptguard.properties are parsed by RcptGuard itself.
        configuration.getKeys().forEachRemaining(key ->
            properties.setProperty(key, String.join(",", configuration.getStringArray(key))));
        return properties;
    }

    @Provides
    @Singleton
    RcptGuardConfiguration configuration(RcptGuardProperties properties) {
        return RcptGuardConfiguration.fromProperties(properties.asProperties());
    }

    @Provides
    @Singleton
    RcptGuardStores stores(RcptGuardConfiguration configuration, RcptGuardProperties properties, Clock clock, Injector injector,
                           RcptGuardMetrics metrics) {
        if (configuration.store().equals("cassandra")) {
            return CassandraStoresProvider.open(CassandraStoreConfiguration.fromProperties(properties.asProperties()),
                configuration, clock, injector, metrics);
        }
        return new MemoryStores(clock, configuration);
    }

    /** The run-time whitelist of this node: read now, then every {@code whitelist.refresh}. */
    @Provides
    @Singleton
    SharedWhitelist sharedWhitelist(RcptGuardStores stores, RcptGuardConfiguration configuration, RcptGuardMetrics metrics,
                                    Clock clock) {
        SharedWhitelist whitelist = new SharedWhitelist(new TimedStores(stores, metrics).whitelistStore(), clock);
        WhitelistRefresher.start(whitelist, metrics, configuration.whitelistRefresh(), clock);
        return whitelist;
    }

    /** The policy on timed stores and directory (rcptguard.store.*, rcptguard.directory.* metrics). */
    @Provides
    @Singleton
    RcptPolicy policy(RecipientDirectory directory, RcptGuardStores stores, RcptGuardConfiguration configuration, Clock clock,
                      SharedWhitelist sharedWhitelist, RcptGuardMetrics metrics, MetricFactory metricFactory,
                      BoundedBackgroundLookups backgroundLookups, DecisionRecorder recorder, JamesDeployment deployment) {
        return RcptPolicy.create(new TimedDirectory(directory, metricFactory), new TimedStores(stores, metrics),
            configuration, clock, sharedWhitelist::current, backgroundLookups, recorder, deployment);
    }
}
