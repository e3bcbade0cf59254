package org.rcptguard.cassandra;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.CqlSession;

/**
 * Several RcptGuard nodes on one Cassandra keyspace, each with its own session and near caches, as James nodes of one
 * cluster have; closed together, the last opened first.
 */
final class NodesOnOneKeyspace implements AutoCloseable {
    private final CassandraExtension cassandra;
    private final List<AutoCloseable> opened = new ArrayList<>();

    NodesOnOneKeyspace(CassandraExtension cassandra) {
        this.cassandra = cassandra;
    }

    /** A node's Cassandra stores, on a session of its own. */
    CassandraStores stores() {
        CqlSession session = cassandra.newSession();
        opened.add(session);
        return CassandraStores.onSession(session, TestConfigurations.forExtension(cassandra), Clock.systemUTC(),
            StoreLimits.of(RcptGuardConfiguration.defaults()));
    }

    /** A node's near caches on {@code stores}, as the RCPT path uses them. */
    NearCachedStores node(CassandraStores stores) {
        NearCachedStores node = new NearCachedStores(stores, Clock.systemUTC(), SharedTripletFilter.MIN_DELAY);
        opened.add(node);
        return node;
    }

    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }
}
