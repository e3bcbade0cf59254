package org.rcptguard.cassandra.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

/** Two nodes, replication factor 2: QUORUM needs both, ONE survives the loss of a node. */
class CassandraClusterTest {

    static CassandraCluster cluster;

    @BeforeAll
    static void start() {
        long start = System.nanoTime();
        cluster = CassandraCluster.start(2);
        System.out.printf("cluster of 2 started in %d ms; RSS %d + %d MiB%n",
            Duration.ofNanos(System.nanoTime() - start).toMillis(),
            cluster.node(1).residentSetKib() / 1024, cluster.node(2).residentSetKib() / 1024);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void readsAtOneAfterLosingAReplica() {
        try (CqlSession session = cluster.sessionBuilder(Duration.ofSeconds(10)).build()) {
            assertThat(session.execute("SELECT peer FROM system.peers_v2").all()).hasSize(1);
            assertThat(session.getMetadata().getNodes()).hasSize(2);

            session.execute("CREATE KEYSPACE cluster_test"
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
            // Right after a kill, node 1 still believes node 2 alive (its failure detector takes ~20 s) and may
            // send it the read of a ONE query, which then waits up to read_request_timeout (5 s). Speculation
            // after 20 ms usually (not always, measured) saves those reads.
            session.execute("CREATE TABLE cluster_test.kv (k text PRIMARY KEY, v int) WITH speculative_retry = '20ms'");
            for (int i = 0; i < 20; i++) {
                session.execute(SimpleStatement.newInstance("INSERT INTO cluster_test.kv (k, v) VALUES (?, ?)", "k" + i, i)
                    .setConsistencyLevel(ConsistencyLevel.QUORUM));
            }
            assertThat(count(session, ConsistencyLevel.QUORUM)).isEqualTo(20);

            cluster.node(2).kill();
            long killed = System.nanoTime();

            // node 1 coordinates (the driver saw node 2's connections drop); it holds a replica of every partition
            for (int i = 0; i < 20; i++) {
                Row row = read(session, "k" + i, ConsistencyLevel.ONE);
                assertThat(row).isNotNull();
                assertThat(row.getInt("v")).isEqualTo(i);
            }
            long oneReads = System.nanoTime();
            System.out.printf("after kill: 20 reads at ONE in %d ms%n", Duration.ofNanos(oneReads - killed).toMillis());
            // QUORUM needs both replicas: it times out until node 1's failure detector convicts node 2
            // (about 20 s with the default phi_convict_threshold), then it is unavailable
            assertThatThrownBy(() -> read(session, "k7", ConsistencyLevel.QUORUM)).isInstanceOf(DriverException.class);

            cluster.node(2).restart();
            long restarted = System.nanoTime();

            awaitQuorum(session);
            System.out.printf("node 2 restarted in %d ms, QUORUM again %d ms later%n",
                cluster.node(2).lastStartDuration().toMillis(), Duration.ofNanos(System.nanoTime() - restarted).toMillis());
            assertThat(count(session, ConsistencyLevel.QUORUM)).isEqualTo(20);
        }
    }

    private static long count(CqlSession session, ConsistencyLevel consistency) {
        return session.execute(SimpleStatement.newInstance("SELECT k FROM cluster_test.kv")
            .setConsistencyLevel(consistency)).all().size();
    }

    private static Row read(CqlSession session, String key, ConsistencyLevel consistency) {
        return session.execute(SimpleStatement.newInstance("SELECT v FROM cluster_test.kv WHERE k = ?", key)
            .setConsistencyLevel(consistency)).one();
    }

    /**
     * The coordinator needs to see the restarted node up again through gossip; right after a restart it may mark
     * it down once more, so QUORUM must succeed several times in a row.
     */
    private static void awaitQuorum(CqlSession session) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int successes = 0;
        while (successes < 5) {
            try {
                count(session, ConsistencyLevel.QUORUM);
                successes++;
            } catch (DriverException e) {
                successes = 0;
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        }
    }
}
