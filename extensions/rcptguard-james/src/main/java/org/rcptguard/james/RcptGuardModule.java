package org.rcptguard.james;

import java.io.FileNotFoundException;
import java.time.Clock;

import javax.inject.Provider;
import javax.inject.Singleton;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.utils.PropertiesProvider;
import org.rcptguard.cassandra.CassandraStoreConfiguration;
import org.rcptguard.cassandra.CassandraStores;
import org.rcptguard.cassandra.NearCachedStores;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.BoundedBackgroundLookups;
import org.rcptguard.core.SharedWhitelist;
import org.rcptguard.core.directory.BoundedLookup;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.rcptguard.core.directory.VerificationCache;
import org.rcptguard.core.harvest.HarvestState;
import org.rcptguard.core.identity.BoundedIdentityResolver;
import org.rcptguard.core.identity.IdentityResolver;
import org.rcptguard.core.identity.IdentityRules;
import org.rcptguard.core.identity.IdentitySettings;
import org.rcptguard.core.identity.VerifiedNameResolver;
import org.rcptguard.core.memory.MemoryStores;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.james.directory.DirectoryProvider;
import org.rcptguard.james.directory.VerificationCacheProvider;
import org.rcptguard.james.identity.JamesReverseNames;
import org.rcptguard.james.identity.JspfCheck;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * Wires RcptGuard into James: {@code guice.extension.module=org.rcptguard.james.RcptGuardModule} in
 * {@code extensions.properties}. Reads {@code conf/rcptguard.properties} once, each setting group once; everything
 * here is a singleton shared by the hooks of every {@code <smtpserver>}, the WebAdmin routes and the health check
 * ({@link RcptGuardHealthCheck}): James instantiates all of them through the one injector of its extensions. What
 * RcptGuard starts is stopped when James stops ({@link RcptGuardShutdown}).
 */
public class RcptGuardModule extends AbstractModule {
    @Override
    protected void configure() {
        // eager: James only runs @PreDestroy of an object that exists
        bind(RcptGuardShutdown.class).asEagerSingleton();
        bind(RecipientDirectory.class).toProvider(DirectoryProvider.class).in(Singleton.class);
        bind(VerificationCache.class).toProvider(VerificationCacheProvider.class).in(Singleton.class);
        bind(CassandraStores.class).toProvider(CassandraStoresProvider.class).in(Singleton.class);
        bind(DataStageRegistration.class).in(Singleton.class);
        bind(DecisionCounters.class).in(Singleton.class);
        bind(DecisionRecorder.class).in(Singleton.class);
        bind(RcptGuardMetrics.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    RcptGuardSettings settings(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return RcptGuardSettings.of(propertiesProvider.getConfiguration("rcptguard"));
        } catch (FileNotFoundException e) {
            return RcptGuardSettings.empty();
        }
    }

    @Provides
    @Singleton
    RcptGuardConfiguration configuration(RcptGuardSettings settings) {
        return RcptGuardConfiguration.from(settings);
    }

    @Provides
    @Singleton
    DirectoryConfiguration directoryConfiguration(RcptGuardSettings settings) {
        return DirectoryConfiguration.from(settings);
    }

    @Provides
    @Singleton
    IdentitySettings identitySettings(RcptGuardSettings settings) {
        return IdentitySettings.from(settings);
    }

    /**
     * SPF and forward-confirmed reverse DNS over James's own DNS service, bounded, stopped with James: the identities
     * and the verified names postgrey's name entries match, on the same threads and under the same bound.
     */
    @Provides
    @Singleton
    BoundedIdentityResolver boundedIdentityResolver(IdentitySettings identity, RcptGuardConfiguration configuration,
                                                    DNSService dns, RcptGuardShutdown shutdown) {
        IdentityRules rules = new IdentityRules(new JspfCheck(dns), new JamesReverseNames(dns), identity,
            configuration.ipv4Prefix(), configuration.ipv6Prefix());
        return shutdown.closeOnStop(new BoundedIdentityResolver(rules, identity));
    }

    @Provides
    IdentityResolver identityResolver(BoundedIdentityResolver resolver) {
        return resolver;
    }

    @Provides
    VerifiedNameResolver verifiedNameResolver(BoundedIdentityResolver resolver) {
        return resolver;
    }

    /** Read only where the store is Cassandra: {@code cassandra.*} keys are not checked on the memory store. */
    @Provides
    @Singleton
    CassandraStoreConfiguration cassandraStoreConfiguration(RcptGuardSettings settings) {
        return CassandraStoreConfiguration.from(settings);
    }

    /** The look-ups no reply waits for (scan detection's before a triplet passed), bounded per recipient domain. */
    @Provides
    @Singleton
    BoundedBackgroundLookups backgroundLookups(DirectoryConfiguration directory, RcptGuardMetrics metrics,
                                               RcptGuardShutdown shutdown) {
        return shutdown.closeOnStop(new BoundedBackgroundLookups(directory.backgroundThreads(),
            directory.backgroundQueue(), metrics::recordDroppedBackgroundLookup));
    }

    /** The decision log, its lines written by a thread of its own until James stops (then by their callers). */
    @Provides
    @Singleton
    DecisionLog decisionLog(RcptGuardConfiguration configuration, RcptGuardNode node, RcptGuardShutdown shutdown) {
        return new DecisionLog(configuration, node, shutdown.closeOnStop(new DecisionLogWriter(DecisionLog::writeNow))::write);
    }

    @Provides
    @Singleton
    RcptGuardNode node(RcptGuardConfiguration configuration, Clock clock) {
        return RcptGuardNode.of(configuration, clock, RcptGuardNode::hostName);
    }

    /** The pool of directory look-ups, stopped with James. */
    @Provides
    @Singleton
    BoundedLookup boundedLookup(DirectoryConfiguration directory, RcptGuardShutdown shutdown) {
        return shutdown.closeOnStop(new BoundedLookup(directory.timeout(), directory.maxConcurrent()));
    }

    @Provides
    @Singleton
    RcptGuardStores stores(RcptGuardConfiguration configuration, Provider<CassandraStores> cassandra, Clock clock,
                           RcptGuardMetrics metrics, RcptGuardShutdown shutdown) {
        if (configuration.store().equals("cassandra")) {
            // Closed before the session (last registered, first closed): what is pending is written first.
            NearCachedStores stores = shutdown.closeOnStop(new NearCachedStores(cassandra.get(), clock, configuration.delay()));
            metrics.registerTripletFilterGauges(() -> stores.tripletFilterAnswers() ? 1 : 0, stores::tripletFilterEntries);
            metrics.registerPenaltyChangesGauge(() -> stores.penaltyChangesCurrent() ? 1 : 0);
            return stores;
        }
        return new MemoryStores(clock, configuration);
    }

    /** The stores with every call timed ({@code rcptguard.store.*} metrics), for the RCPT path and the whitelist refresh. */
    @Provides
    @Singleton
    TimedStores timedStores(RcptGuardStores stores, RcptGuardMetrics metrics) {
        return new TimedStores(stores, metrics);
    }

    /** The run-time whitelist of this node: read now, then every {@code whitelist.refresh} until James stops. */
    @Provides
    @Singleton
    SharedWhitelist sharedWhitelist(TimedStores stores, RcptGuardConfiguration configuration, RcptGuardMetrics metrics,
                                    Clock clock, RcptGuardShutdown shutdown) {
        SharedWhitelist whitelist = new SharedWhitelist(stores.whitelistStore(), clock);
        shutdown.closeOnStop(WhitelistRefresher.start(whitelist, metrics, configuration.whitelistRefresh(), clock));
        return whitelist;
    }

    /** Which domains are under harvest as this node sees them: refreshed every {@code harvest.refresh} until James stops. */
    @Provides
    @Singleton
    HarvestState harvestState(TimedStores stores, RcptGuardConfiguration configuration, RcptGuardMetrics metrics,
                              Clock clock, RcptGuardShutdown shutdown) {
        HarvestState state = RcptPolicy.harvestState(stores, configuration, clock);
        shutdown.closeOnStop(HarvestRefresher.start(state, metrics, configuration.harvest().refresh()));
        return state;
    }

    /** The policy on timed stores and directory (rcptguard.store.*, rcptguard.directory.* metrics). */
    @Provides
    @Singleton
    RcptPolicy policy(RecipientDirectory directory, TimedStores stores, RcptGuardConfiguration configuration, Clock clock,
                      SharedWhitelist sharedWhitelist, MetricFactory metricFactory, BoundedBackgroundLookups backgroundLookups,
                      DecisionRecorder recorder, JamesDeployment deployment, HarvestState harvestState) {
        return RcptPolicy.create(new TimedDirectory(directory, metricFactory), stores, configuration, clock,
            sharedWhitelist::current, backgroundLookups, recorder, deployment, harvestState);
    }
}
