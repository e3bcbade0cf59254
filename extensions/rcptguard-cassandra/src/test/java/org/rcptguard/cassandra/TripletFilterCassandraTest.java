package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
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
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;

/**
 * The triplet filter on a real Cassandra node, between two nodes' stores (each its own session, one keyspace): what
 * one node records, the other reads within {@link SharedTripletFilter#KNOWLEDGE_LAG}; what the greylist held before
 * a node started, that node's scan knows; the publications' table read back by minute and time.
 */
class TripletFilterCassandraTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final NodesOnOneKeyspace NODES = new NodesOnOneKeyspace(CASSANDRA);
    static CassandraStores storesA;
    static NearCachedStores nodeA;

    @BeforeAll
    static void startNodeA() {
        storesA = NODES.stores();
        nodeA = node(storesA);
    }

    @AfterAll
    static void close() throws Exception {
        NODES.close();
    }

    /** A node whose triplet filter has scanned the greylist. */
    private static NearCachedStores node(CassandraStores stores) {
        NearCachedStores node = NODES.node(stores);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(node::tripletFilterIsWhole);
        return node;
    }

    @Test
    void aFirstAttemptRecordedThroughOneNodeIsReadThroughTheOtherWithinTheKnowledgeLag() {
        NearCachedStores nodeB = node(NODES.stores());
        Triplet triplet = triplet("crossing@example.net");
        assertThat(nodeB.tripletStore().find(triplet)).isEmpty();

        TripletRecord record = TripletRecord.firstSeen(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        nodeA.tripletStore().save(triplet, record, Duration.ofHours(1));
        long recorded = System.nanoTime();
        await().atMost(SharedTripletFilter.KNOWLEDGE_LAG).pollInterval(Duration.ofMillis(20))
            .until(() -> nodeB.tripletStore().find(triplet).isPresent());
        System.out.printf("triplet filter: a first attempt through A read through B after %d ms%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recorded));
        assertThat(nodeB.tripletStore().find(triplet)).contains(record);
    }

    @Test
    void aNodeStartingKnowsFromItsScanWhatTheGreylistHeldBefore() {
        Triplet before = triplet("before@example.net");
        TripletRecord record = TripletRecord.firstSeen(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        // Written without the near caches: no node published it.
        storesA.tripletStore().save(before, record, Duration.ofHours(1));

        NearCachedStores nodeC = node(NODES.stores());

        assertThat(nodeC.tripletStore().find(before)).contains(record);
        assertThat(nodeC.tripletStore().find(triplet("never@example.net"))).isEmpty();
    }

    @Test
    void publicationsAreReadBackByMinuteAfterTheTimeAsked() {
        CassandraTripletFeed feed = storesA.tripletFeed();
        Instant before = Instant.now().minusMillis(50);
        ByteBuffer entries = ByteBuffer.allocate(2 * CassandraTripletFeed.ENTRY_BYTES)
            .putLong(11).putLong(20_001).putLong(12).putLong(20_002).flip();
        feed.publish(entries);

        List<long[]> read = new ArrayList<>();
        Instant now = Instant.now();
        for (Instant minute : MinutePartitions.between(before, now)) {
            feed.readSince(minute, before, (hash, day) -> read.add(new long[] {hash, day}));
        }
        assertThat(read).anySatisfy(entry -> assertThat(entry).containsExactly(11, 20_001))
            .anySatisfy(entry -> assertThat(entry).containsExactly(12, 20_002));

        List<long[]> later = new ArrayList<>();
        feed.readSince(now, now.plusSeconds(1), (hash, day) -> later.add(new long[] {hash, day}));
        assertThat(later).as("nothing published after the time asked").isEmpty();
    }

    private static Triplet triplet(String sender) {
        return new Triplet(ClientNetwork.parse("198.51.100.0/24"), sender, "alice@example.com");
    }
}
