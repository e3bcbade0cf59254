package org.rcptguard.it;

import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;

/**
 * The hostile sessions of {@link HostileInputTest}, a shorter run, against a James on the Cassandra store (the run's
 * shared node): RcptGuard's state is then outside James's heap, and the driver's connections and threads must not
 * grow with hostile sessions either.
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
class HostileInputCassandraTest extends HostileInputTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    @Override
    Map<String, String> storeSettings() {
        return CassandraStoreSettings.on(CASSANDRA).asMap();
    }

    @Override
    int sessions() {
        return 2_000;
    }
}
