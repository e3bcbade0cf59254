package org.rcptguard.cassandra.testing;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;

import org.rcptguard.launcher.CassandraNode;

/**
 * A few real Cassandra 5.0 nodes on 127.0.0.1, 127.0.0.2, ... forming one cluster (one data center,
 * {@value CassandraNode#LOCAL_DATACENTER}). Every node listens on the same storage port (on its own address),
 * the first node is the seed, tokens are spread evenly over the Murmur3 ring, and nodes start one after
 * the other; {@link #start} returns once they all know each other. Each node costs about 380 MB of RSS with the default 256 MiB heap.
 */
public final class CassandraCluster implements AutoCloseable {

    private final List<CassandraNode> nodes;

    private CassandraCluster(List<CassandraNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts {@code size} nodes with default settings. */
    public static CassandraCluster start(int size) {
        return start(size, UnaryOperator.identity());
    }

    /** Starts {@code size} nodes; {@code customizer} may change each node's builder (heap, yaml, ...). */
    public static CassandraCluster start(int size, UnaryOperator<CassandraNode.Builder> customizer) {
        if (size < 1 || size > 9) {
            throw new IllegalArgumentException("1 to 9 nodes, not " + size);
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            addresses.add("127.0.0." + i);
        }
        int storagePort = CassandraNode.freePortOnAll(addresses);
        String clusterName = "rcptguard-" + UUID.randomUUID().toString().substring(0, 8);
        String seed = addresses.get(0) + ":" + storagePort;

        List<CassandraNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                CassandraNode.Builder builder = CassandraNode.builder()
                    .name("cluster-node" + (i + 1))
                    .clusterName(clusterName)
                    .listenAddress(addresses.get(i))
                    .storagePort(storagePort)
                    .seeds(List.of(seed))
                    .initialToken(token(i, size));
                CassandraNode node = customizer.apply(builder).build();
                nodes.add(node);
                node.start();
            }
            CassandraCluster cluster = new CassandraCluster(nodes);
            cluster.awaitMembership(Duration.ofSeconds(60));
            return cluster;
        } catch (RuntimeException e) {
            new CassandraCluster(nodes).close();
            throw e;
        }
    }

    /** Evenly spaced Murmur3 tokens: -2^63 + i * 2^64 / size. */
    static String token(int index, int size) {
        BigInteger ringSize = BigInteger.TWO.pow(64);
        return ringSize.multiply(BigInteger.valueOf(index)).divide(BigInteger.valueOf(size))
            .subtract(BigInteger.TWO.pow(63))
            .toString();
    }

    public List<CassandraNode> nodes() {
        return nodes;
    }

    /** Node {@code number}, counted from 1 like its address 127.0.0.{@code number}. */
    public CassandraNode node(int number) {
        return nodes.get(number - 1);
    }

    public List<InetSocketAddress> contactPoints() {
        return nodes.stream().map(CassandraNode::contactPoint).collect(Collectors.toList());
    }

    public String localDatacenter() {
        return CassandraNode.LOCAL_DATACENTER;
    }

    /** Contact points of every node, the local datacenter and the test driver settings; the caller closes. */
    public CqlSessionBuilder sessionBuilder(Duration requestTimeout) {
        return CqlSession.builder()
            .addContactPoints(contactPoints())
            .withLocalDatacenter(localDatacenter())
            .withConfigLoader(CassandraExtension.testConfig(requestTimeout).build());
    }

    /**
     * Waits until the driver sees every node up and every node lists all the others, with host id and tokens,
     * in its {@code system.peers_v2}: a node that just served CQL may not have gossiped with the others yet.
     * (After a {@link CassandraNode#restart()} the peers' rows already exist: wait for the consistency level you
     * need instead.)
     */
    public void awaitMembership(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "no session";
        try (CqlSession session = sessionBuilder(Duration.ofSeconds(5)).build()) {
            while (System.nanoTime() < deadline) {
                state = membershipProblem(session);
                if (state == null) {
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("Cluster did not converge within " + timeout + ": " + state);
    }

    /** null when converged, else what is missing. */
    private String membershipProblem(CqlSession session) {
        Collection<Node> known = session.getMetadata().getNodes().values();
        if (known.size() != nodes.size()) {
            return "the driver knows " + known.size() + " of " + nodes.size() + " nodes";
        }
        for (Node node : known) {
            if (node.getState() != NodeState.UP) {
                return node.getEndPoint() + " is " + node.getState() + " for the driver";
            }
            try {
                long peers = session.execute(SimpleStatement.newInstance("SELECT host_id, tokens FROM system.peers_v2")
                        .setNode(node))
                    .all().stream()
                    .filter(row -> row.getUuid("host_id") != null && !row.getSet("tokens", String.class).isEmpty())
                    .count();
                if (peers != nodes.size() - 1) {
                    return node.getEndPoint() + " lists " + peers + " of " + (nodes.size() - 1) + " peers";
                }
            } catch (DriverException e) {
                return node.getEndPoint() + ": " + e;
            }
        }
        return null;
    }

    /** Kills every node (no drain), forgets them and deletes their data; logs stay. */
    @Override
    public void close() {
        for (CassandraNode node : nodes) {
            node.kill();
            node.close();
            node.deleteDataDirectories();
        }
    }
}
