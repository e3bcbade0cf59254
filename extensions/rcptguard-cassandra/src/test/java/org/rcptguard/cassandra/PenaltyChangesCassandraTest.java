package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.store.ClientNetworkStore;

/**
 * Penalty changes on a real Cassandra node, between two nodes' near caches (each its own session, one keyspace): a
 * penalty imposed or lifted through one node is honoured by the other within a second although the other serves a
 * network's state for {@link NearCaches#REPUTATION} (docs/design.md, "State"); the announcements' table read back by
 * minute and time.
 */
class PenaltyChangesCassandraTest {
    /** The bound of docs/design.md: the announcement follows the penalty's write, and is read within FRESHNESS. */
    static final Duration BOUND = Duration.ofSeconds(1);

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final NodesOnOneKeyspace NODES = new NodesOnOneKeyspace(CASSANDRA);
    static CassandraStores storesA;
    static ClientNetworkStore nodeA;
    static ClientNetworkStore nodeB;

    @BeforeAll
    static void startTwoNodes() {
        storesA = NODES.stores();
        nodeA = NODES.node(storesA).clientNetworkStore();
        nodeB = NODES.node(NODES.stores()).clientNetworkStore();
    }

    @AfterAll
    static void close() throws Exception {
        NODES.close();
    }

    @Test
    void aPenaltyImposedThenLiftedThroughOneNodeIsHonouredByTheOtherWithinOneSecond() throws Exception {
        ClientNetwork network = ClientNetwork.parse("203.0.113.0/24");
        assertThat(nodeB.load(network).penalty()).isEmpty();
        // past the 1 s bound of a state without announcements: B serves it now because nothing was announced
        Thread.sleep(NearCaches.PENALTIES.plusMillis(300).toMillis());

        Penalty penalty = new Penalty(1, Instant.now().plusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        nodeA.penalise(network, penalty);
        long imposed = awaitOnB("imposed", () -> nodeB.load(network).penalty().isPresent());
        assertThat(nodeB.load(network).penalty()).contains(penalty);

        Thread.sleep(NearCaches.PENALTIES.plusMillis(300).toMillis());
        nodeA.liftPenalty(network);
        long lifted = awaitOnB("lifted", () -> nodeB.load(network).penalty().isEmpty());
        System.out.printf("penalty changes: imposed through A honoured by B after %d ms, lifted after %d ms%n",
            imposed, lifted);
    }

    private static long awaitOnB(String change, java.util.concurrent.Callable<Boolean> seen) {
        long start = System.nanoTime();
        await("penalty " + change + " through A seen by B").atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(seen);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void announcementsAreReadBackByMinuteAfterTheTimeAsked() {
        CassandraPenaltyChanges feed = storesA.penaltyChanges();
        Instant before = Instant.now().minusMillis(50);
        feed.announce(ClientNetwork.parse("192.0.2.0/24"));

        List<String> read = new ArrayList<>();
        Instant now = Instant.now();
        for (Instant minute : MinutePartitions.between(before, now)) {
            feed.readSince(minute, before, read::add);
        }
        assertThat(read).contains("192.0.2.0/24");

        List<String> later = new ArrayList<>();
        feed.readSince(now, now.plusSeconds(1), later::add);
        assertThat(later).as("nothing announced after the time asked").isEmpty();
    }
}
