package org.rcptguard.cassandra.testing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.rcptguard.launcher.CassandraNode;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;

/**
 * JUnit 5 extension giving test classes a real Cassandra 5.0 node.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final CassandraExtension CASSANDRA = new CassandraExtension();
 * </pre>
 *
 * <p>One node serves the whole test run (every class of the surefire JVM): it is started by the first class
 * that needs it, kept in the root {@link ExtensionContext.Store} and stopped when the run ends. Each test class
 * gets its own keyspace name ({@link #keyspace()}, {@code rcptguard_<random>}); the keyspace is dropped after the
 * class. Sessions made by {@link #newSession()} are closed after the class.
 *
 * <p>The node is shared: a class that pauses or kills it must resume or restart it before it ends (a dead
 * node is restarted for the next class, a paused one is not). Test classes must not run concurrently with one
 * that pauses the node.
 */
public final class CassandraExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CassandraExtension.class);
    private static final String SHARED_NODE = "shared-node";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Dropping a test's keyspace is a schema change (flushed, snapshotted, agreed on): on a loaded node it may take
     * longer than a request, so it gets the schema steps' timeout. (The integration tests' classpath has this class
     * without RcptGuard's, so the value is not RcptGuardSchema's constant.)
     */
    private static final Duration DROP_TIMEOUT = Duration.ofSeconds(30);

    private final List<CqlSession> sessions = new CopyOnWriteArrayList<>();
    private volatile CassandraNode node;
    private volatile String keyspace;
    private volatile String ownerId;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ownerId != null) {
            return; // @Nested class of the class that registered the extension: same node, same keyspace
        }
        SharedNode shared = context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(SHARED_NODE, key -> SharedNode.start(), SharedNode.class);
        node = shared.ensureRunning();
        keyspace = "rcptguard_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ownerId = context.getUniqueId();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!context.getUniqueId().equals(ownerId)) {
            return;
        }
        try {
            sessions.forEach(CqlSession::close);
            sessions.clear();
            if (node.isRunning() && !node.isPaused()) {
                try (CqlSession session = sessionBuilder(DROP_TIMEOUT).build()) {
                    session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
                }
            }
        } finally {
            ownerId = null;
        }
    }

    /** The node, e.g. to {@link CassandraNode#pause()} it. */
    public CassandraNode node() {
        return requireStarted();
    }

    /** This test class's keyspace name (not created until {@link #createKeyspace(CqlSession)} or your DDL). */
    public String keyspace() {
        requireStarted();
        return keyspace;
    }

    public String localDatacenter() {
        return requireStarted().localDatacenter();
    }

    /**
     * A builder pointing at the node with the right local datacenter and the given request timeout; the caller
     * owns the session it builds.
     */
    public CqlSessionBuilder sessionBuilder(Duration requestTimeout) {
        CassandraNode current = requireStarted();
        return CqlSession.builder()
            .addContactPoint(current.contactPoint())
            .withLocalDatacenter(current.localDatacenter())
            .withConfigLoader(testConfig(requestTimeout).build());
    }

    /** A session without keyspace, closed after the test class. */
    public CqlSession newSession() {
        return newSession(DEFAULT_REQUEST_TIMEOUT);
    }

    /** A session without keyspace and with this request timeout, closed after the test class. */
    public CqlSession newSession(Duration requestTimeout) {
        return track(sessionBuilder(requestTimeout).build());
    }

    /** A session on {@link #keyspace()} (which must exist), closed after the test class. */
    public CqlSession newKeyspaceSession() {
        return track(sessionBuilder(DEFAULT_REQUEST_TIMEOUT).withKeyspace(keyspace()).build());
    }

    /** {@code CREATE KEYSPACE IF NOT EXISTS <keyspace()>} with SimpleStrategy, replication factor 1. */
    public String createKeyspace(CqlSession session) {
        session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace()
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        return keyspace;
    }

    /**
     * Driver settings for tests: the given request timeout, patient schema operations, quick reconnection
     * after a paused or restarted node, quick close.
     */
    public static ProgrammaticDriverConfigLoaderBuilder testConfig(Duration requestTimeout) {
        return DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.CONNECTION_SET_KEYSPACE_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(20))
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
            // the driver's default 2 s quiet period makes every CqlSession.close() take 2 s
            .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
            .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
    }

    private CqlSession track(CqlSession session) {
        sessions.add(session);
        return session;
    }

    private CassandraNode requireStarted() {
        CassandraNode current = node;
        if (current == null) {
            throw new IllegalStateException("CassandraExtension is not started: register it with"
                + " @RegisterExtension on a static field and use it from tests or @BeforeAll");
        }
        return current;
    }

    /** The run-wide node; closed by JUnit when the root context closes, i.e. at the end of the run. */
    private static final class SharedNode implements ExtensionContext.Store.CloseableResource {
        private final CassandraNode node;

        private SharedNode(CassandraNode node) {
            this.node = node;
        }

        static SharedNode start() {
            CassandraNode node = CassandraNode.builder().build();
            node.start();
            System.out.printf("Cassandra node %s pid %d serving CQL on %s after %d ms, RSS %d MiB, work dir %s%n",
                node.name(), node.pid(), node.contactPoint(), node.lastStartDuration().toMillis(),
                node.residentSetKib() / 1024, node.workDir());
            return new SharedNode(node);
        }

        synchronized CassandraNode ensureRunning() {
            if (!node.isRunning()) {
                node.restart();
            }
            return node;
        }

        @Override
        public void close() {
            node.kill(); // no drain: the data is deleted right away
            node.close();
            node.deleteDataDirectories();
        }
    }
}
