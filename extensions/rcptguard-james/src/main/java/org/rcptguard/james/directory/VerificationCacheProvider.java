package org.rcptguard.james.directory;

import javax.inject.Inject;
import javax.inject.Provider;

import org.rcptguard.cassandra.CassandraStoreConfiguration;
import org.rcptguard.cassandra.CassandraStores;
import org.rcptguard.cassandra.CassandraVerificationCache;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.rcptguard.core.directory.VerificationCache;

/**
 * The cache of SMTP verification answers: in the cluster's Cassandra with {@code store=cassandra}, so that every node
 * shares the answers; else in this node's memory.
 */
public class VerificationCacheProvider implements Provider<VerificationCache> {
    private final RcptGuardConfiguration configuration;
    private final DirectoryConfiguration directory;
    private final Provider<CassandraStores> cassandraStores;
    private final Provider<CassandraStoreConfiguration> cassandra;

    @Inject
    public VerificationCacheProvider(RcptGuardConfiguration configuration, DirectoryConfiguration directory,
                                     Provider<CassandraStores> cassandraStores, Provider<CassandraStoreConfiguration> cassandra) {
        this.configuration = configuration;
        this.directory = directory;
        this.cassandraStores = cassandraStores;
        this.cassandra = cassandra;
    }

    @Override
    public VerificationCache get() {
        if (configuration.store().equals("cassandra")) {
            return new CassandraVerificationCache(cassandraStores.get().session(), cassandra.get());
        }
        return DirectoryProvider.memoryCache(directory);
    }
}
