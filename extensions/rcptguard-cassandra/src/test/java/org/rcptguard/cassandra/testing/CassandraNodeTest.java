package org.rcptguard.cassandra.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.Row;
import org.rcptguard.launcher.CassandraNode;

class CassandraNodeTest {

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static CqlSession session;

    @BeforeAll
    static void schema() {
        session = CASSANDRA.newSession();
        CASSANDRA.createKeyspace(session);
        session.execute("CREATE TABLE IF NOT EXISTS " + CASSANDRA.keyspace() + ".triplets ("
            + " triplet text PRIMARY KEY, first_seen timestamp, attempts int)"
            + " WITH compaction = {'class': 'TimeWindowCompactionStrategy',"
            + " 'compaction_window_unit': 'HOURS', 'compaction_window_size': 1}"
            + " AND default_time_to_live = 3600");
    }

    @Test
    void storesRowsWithTheirTimeToLive() {
        String table = CASSANDRA.keyspace() + ".triplets";
        session.execute("INSERT INTO " + table + " (triplet, first_seen, attempts)"
            + " VALUES ('192.0.2.1|a@example.org|b@example.com', toTimestamp(now()), 1) USING TTL 600");
        session.execute("INSERT INTO " + table + " (triplet, first_seen, attempts)"
            + " VALUES ('192.0.2.2|a@example.org|b@example.com', toTimestamp(now()), 2)");

        Row explicit = session.execute("SELECT attempts, TTL(attempts) AS ttl FROM " + table
            + " WHERE triplet = '192.0.2.1|a@example.org|b@example.com'").one();
        Row defaulted = session.execute("SELECT attempts, TTL(attempts) AS ttl FROM " + table
            + " WHERE triplet = '192.0.2.2|a@example.org|b@example.com'").one();

        assertThat(explicit).isNotNull();
        assertThat(explicit.getInt("attempts")).isEqualTo(1);
        assertThat(explicit.getInt("ttl")).isBetween(590, 600);
        assertThat(defaulted).isNotNull();
        assertThat(defaulted.getInt("ttl")).isBetween(3590, 3600);
        assertThat(session.getMetadata().getKeyspace(CASSANDRA.keyspace()).flatMap(ks -> ks.getTable("triplets"))
            .map(t -> t.getOptions().toString()))
            .hasValueSatisfying(options -> assertThat(options).contains("TimeWindowCompactionStrategy"));
    }

    @Test
    void aPausedNodeTimesOutAndRecoversAfterResume() {
        CassandraNode node = CASSANDRA.node();
        String query = "SELECT attempts FROM " + CASSANDRA.keyspace() + ".triplets WHERE triplet = 'absent'";
        try (CqlSession impatient = CASSANDRA.sessionBuilder(Duration.ofSeconds(1)).build()) {
            impatient.execute(query);

            node.pause();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> impatient.execute(query))
                    .isInstanceOfAny(DriverTimeoutException.class, AllNodesFailedException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            } finally {
                node.resume();
            }

            long resumed = System.nanoTime();
            Throwable last = null;
            while (Duration.ofNanos(System.nanoTime() - resumed).compareTo(Duration.ofSeconds(10)) < 0) {
                try {
                    impatient.execute(query);
                    last = null;
                    break;
                } catch (RuntimeException e) {
                    last = e;
                    sleep(100);
                }
            }
            assertThat(last).as("queries fail 10 s after resume").isNull();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
