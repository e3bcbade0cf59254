package org.rcptguard.cassandra.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.launcher.CassandraNode;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;

/**
 * The forked node under a pause. (RcptGuard's own tables, their time-to-live and compaction, are tested by
 * RcptGuardSchemaTest against this node.)
 */
class CassandraNodeTest {

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    @Test
    void aPausedNodeTimesOutAndRecoversAfterResume() {
        CassandraNode node = CASSANDRA.node();
        String query = "SELECT release_version FROM system.local";
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
