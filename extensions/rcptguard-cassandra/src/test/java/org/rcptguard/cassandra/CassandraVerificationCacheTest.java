package org.rcptguard.cassandra;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.directory.VerificationCache;
import org.rcptguard.core.directory.VerificationCacheContract;

import com.datastax.oss.driver.api.core.CqlSession;

/** The verification cache contract on a real Cassandra; a second instance on the session sees the same answers. */
class CassandraVerificationCacheTest implements VerificationCacheContract {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static CqlSession session;
    static CassandraVerificationCache cache;

    @BeforeAll
    static void create() {
        session = CASSANDRA.newSession();
        CassandraStoreConfiguration configuration = TestConfigurations.forExtension(CASSANDRA);
        RcptGuardSchema.create(session, configuration);
        cache = new CassandraVerificationCache(session, configuration);
    }

    /** Every call another instance, as another James node would have: answers are the cluster's. */
    @Override
    public VerificationCache verificationCache() {
        return new CassandraVerificationCache(session, TestConfigurations.forExtension(CASSANDRA));
    }

    @Override
    public void advance(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
