package org.rcptguard.it;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;

/**
 * The hostile sessions of {@link HostileInputTest}, a shorter run, against a James on the Cassandra store (the run's
 * shared node): RcptGuard's state is then outside James's heap, and the driver's connections and threads must not
 * grow with hostile sessions either.
 *
 * <p>The hostile sessions put {@code example.com} under harvest (thousands of unknown recipients from hundreds of
 * networks). The harvest state is refreshed every second instead of every 30 s, so that refreshes, each reading the
 * domain's tallies from Cassandra, run throughout the heap measurements: what a refresh holds is in every figure.
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
class HostileInputCassandraTest extends HostileInputTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    @Override
    Map<String, String> storeSettings() {
        Map<String, String> settings = new HashMap<>(CassandraStoreSettings.on(CASSANDRA).asMap());
        settings.put("harvest.refresh", "1s");
        return settings;
    }

    @Override
    int sessions() {
        return 2_000;
    }
}
