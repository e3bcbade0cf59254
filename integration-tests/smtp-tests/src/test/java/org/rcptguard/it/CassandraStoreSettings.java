package org.rcptguard.it;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.it.RcptGuardSmtpTest.Users;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * The {@code conf/rcptguard.properties} settings of a James node on the Cassandra store, for
 * {@link JamesServerProcess.Builder#rcptguardProperties(Map)}: {@code store=cassandra} and the {@code cassandra.*}
 * keys, with the policy settings of the test on top.
 *
 * <pre>{@code
 * Map<String, String> settings = CassandraStoreSettings.on(List.of(node.contactPoint()), "rcptguard_test")
 *     .timeout("1s")
 *     .policy("greylist.delay", "2s")
 *     .asMap();
 * }</pre>
 */
public final class CassandraStoreSettings {
    /**
     * How long a James on the Cassandra store may take to start: generous, as with Cassandra nodes and other James
     * JVMs on two cores it took up to 70 s (about 8 s alone).
     */
    static final Duration JAMES_START_TIMEOUT = Duration.ofMinutes(3);

    /**
     * The class order ({@code @Order}, see junit-platform.properties) of the classes using the run's shared Cassandra
     * node (CassandraExtension): after every other class, since that node runs from the first class that needs it to
     * the end of the run. CassandraNodeLossTest, with a cluster of its own, runs first.
     */
    static final int SHARED_NODE_CLASS_ORDER = 2_000_000_000;

    private final Map<String, String> settings = new LinkedHashMap<>();

    private CassandraStoreSettings() {
    }

    /**
     * The Cassandra store on these contact points and keyspace; data center {@code datacenter1} (what the test
     * nodes' SimpleSnitch reports), {@code SimpleStrategy:1}, {@code LOCAL_QUORUM} reads and writes, 1 s statements.
     */
    public static CassandraStoreSettings on(List<InetSocketAddress> contactPoints, String keyspace) {
        CassandraStoreSettings store = new CassandraStoreSettings();
        store.settings.put("store", "cassandra");
        store.settings.put("cassandra.contact.points", contactPoints.stream()
            .map(point -> point.getHostString() + ":" + point.getPort())
            .collect(Collectors.joining(",")));
        store.settings.put("cassandra.local.datacenter", "datacenter1");
        store.settings.put("cassandra.keyspace", keyspace);
        store.settings.put("cassandra.replication", "SimpleStrategy:1");
        store.settings.put("cassandra.consistency.read", "LOCAL_QUORUM");
        store.settings.put("cassandra.consistency.write", "LOCAL_QUORUM");
        store.settings.put("cassandra.timeout", "1s");
        return store;
    }

    /** The Cassandra store on the run's shared node, in the test class's own keyspace. */
    static CassandraStoreSettings on(CassandraExtension cassandra) {
        return on(List.of(cassandra.node().contactPoint()), cassandra.keyspace());
    }

    /**
     * Starts a James with these settings from {@code confDir}, allowing it {@link #JAMES_START_TIMEOUT}, and creates
     * the test users.
     */
    JamesServerProcess startJames(Path confDir) {
        JamesServerProcess james = JamesServerProcess.builder()
            .confDir(confDir)
            .rcptguardProperties(asMap())
            .startTimeout(JAMES_START_TIMEOUT)
            .start();
        Users.create(james.webAdmin());
        return james;
    }

    /** Stops the James nodes of a cluster test, those that started. */
    static void closeAll(JamesServerProcess... nodes) {
        for (JamesServerProcess james : nodes) {
            if (james != null) {
                james.close();
            }
        }
    }

    /** {@code cassandra.replication}, e.g. {@code SimpleStrategy:2}. */
    public CassandraStoreSettings replication(String replication) {
        settings.put("cassandra.replication", replication);
        return this;
    }

    /** {@code cassandra.consistency.read} and {@code cassandra.consistency.write}. */
    public CassandraStoreSettings consistency(String read, String write) {
        settings.put("cassandra.consistency.read", read);
        settings.put("cassandra.consistency.write", write);
        return this;
    }

    /** {@code cassandra.timeout}: the timeout of each statement. */
    public CassandraStoreSettings timeout(String timeout) {
        settings.put("cassandra.timeout", timeout);
        return this;
    }

    /** Any other key of rcptguard.properties, e.g. {@code greylist.delay}. */
    public CassandraStoreSettings policy(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
