package org.rcptguard.cassandra.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rcptguard.launcher.CassandraNode;

import com.datastax.oss.driver.api.core.CqlSession;

/** Stop, kill, restart and start failures on nodes of their own (the shared node of {@link CassandraExtension} stays untouched). */
class CassandraNodeLifecycleTest {

    static CassandraNode node;

    @BeforeAll
    static void start() {
        // periodic commit log: writes younger than the sync period have no sync marker yet and are lost on
        // SIGKILL, as in any crash of a real node; a short period keeps this test short
        node = CassandraNode.builder().name("lifecycle").yaml("commitlog_sync_period", "500ms").build().start();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.kill();
            node.close();
            node.deleteDataDirectories();
        }
    }

    @Test
    void keepsItsDataAcrossGracefulStopAndKill() {
        long firstPid = node.pid();
        write("before_stop");

        long stopStart = System.nanoTime();
        node.stop();
        Duration stopDuration = Duration.ofNanos(System.nanoTime() - stopStart);
        assertThat(node.isRunning()).isFalse();
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

        node.restart();
        Duration restartAfterStop = node.lastStartDuration();
        assertThat(node.pid()).isNotEqualTo(firstPid);
        assertThat(read()).contains("before_stop");
        write("before_kill");
        sleep(Duration.ofMillis(1500)); // past one commit log sync

        node.kill();
        assertThat(node.isRunning()).isFalse();
        node.restart();
        assertThat(read()).contains("before_stop", "before_kill");

        System.out.printf("lifecycle: graceful stop %d ms, restart after stop %d ms, restart after kill %d ms%n",
            stopDuration.toMillis(), restartAfterStop.toMillis(), node.lastStartDuration().toMillis());
    }

    @Test
    void failsWithTheLogTailWhenTheNodeDiesAtStartup() {
        CassandraNode broken = CassandraNode.builder().name("broken").yaml("num_tokens", "not-a-number").build();
        try {
            assertThatThrownBy(broken::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("died during startup")
                .hasMessageContaining("not-a-number");
            assertThat(broken.isRunning()).isFalse();
        } finally {
            broken.close();
        }
    }

    @Test
    void killsANodeThatIsNotReadyInTime() {
        CassandraNode slow = CassandraNode.builder().name("slow").startTimeout(Duration.ofMillis(500)).build();
        try {
            assertThatThrownBy(slow::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not serve CQL");
            assertThat(slow.isRunning()).isFalse();
        } finally {
            slow.close();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(String value) {
        try (CqlSession session = session()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS lifecycle"
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS lifecycle.marks (mark text PRIMARY KEY)");
            session.execute("INSERT INTO lifecycle.marks (mark) VALUES (?)", value);
        }
    }

    private static List<String> read() {
        try (CqlSession session = session()) {
            return session.execute("SELECT mark FROM lifecycle.marks").all().stream()
                .map(row -> row.getString("mark"))
                .collect(Collectors.toList());
        }
    }

    private static CqlSession session() {
        return CqlSession.builder()
            .addContactPoint(node.contactPoint())
            .withLocalDatacenter(node.localDatacenter())
            .withConfigLoader(CassandraExtension.testConfig(Duration.ofSeconds(10)).build())
            .build();
    }
}
