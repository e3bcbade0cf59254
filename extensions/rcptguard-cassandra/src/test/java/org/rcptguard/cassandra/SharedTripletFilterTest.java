package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Triplet;

/** The filter's rules over a feed held in memory: when it answers, what it publishes, what it does when the feed fails. */
class SharedTripletFilterTest {
    private static final Triplet SCANNED = triplet("scanned@example.net");
    private static final Triplet ELSEWHERE = triplet("elsewhere@example.net");
    private static final Triplet HERE = triplet("here@example.net");
    private static final Triplet NEVER = triplet("never@example.net");

    /** One feed, as Cassandra would hold it: the greylist's rows and every node's publications. */
    static final class MemoryFeed implements SharedTripletFilter.Feed {
        final List<long[]> greylist = new CopyOnWriteArrayList<>();
        final List<long[]> published = new CopyOnWriteArrayList<>();
        final AtomicBoolean failing = new AtomicBoolean();
        volatile boolean scanHeld;

        @Override
        public void publish(ByteBuffer entries) {
            failIfFailing();
            List<long[]> row = new ArrayList<>();
            while (entries.hasRemaining()) {
                row.add(new long[] {entries.getLong(), entries.getLong()});
            }
            published.addAll(row);
        }

        @Override
        public void readSince(Instant minute, Instant since, SharedTripletFilter.Entries entries) {
            failIfFailing();
            published.forEach(entry -> entries.accept(entry[0], entry[1]));
        }

        @Override
        public void scanGreylist(Instant now, SharedTripletFilter.Entries entries) {
            while (scanHeld) {
                Thread.onSpinWait();
            }
            failIfFailing();
            greylist.forEach(entry -> entries.accept(entry[0], entry[1]));
        }

        private void failIfFailing() {
            if (failing.get()) {
                throw new IllegalStateException("Cassandra timed out");
            }
        }
    }

    private static final ConditionFactory WITHIN_10_S = await().atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20));

    private final MemoryFeed feed = new MemoryFeed();
    private final AtomicLong nanos = new AtomicLong();
    private SharedTripletFilter filter;

    @AfterEach
    void close() throws InterruptedException {
        if (filter != null) {
            filter.close();
        }
    }

    private SharedTripletFilter start() {
        filter = new SharedTripletFilter(feed, Clock.systemUTC(), () -> System.nanoTime() + nanos.get());
        filter.start();
        return filter;
    }

    @Test
    void itAnswersAbsentOnlyOnceTheGreylistIsScannedAndNeverForATripletItHoldsOrHeardOf() {
        feed.greylist.add(new long[] {TripletFilter.hash(SCANNED), today() + 2});
        feed.scanHeld = true;
        start();
        assertThat(filter.knowsAbsent(NEVER)).as("before the scan").isFalse();

        feed.scanHeld = false;
        WITHIN_10_S.until(filter::isWhole);
        assertThat(filter.knowsAbsent(NEVER)).isTrue();
        assertThat(filter.knowsAbsent(SCANNED)).isFalse();

        feed.published.add(new long[] {TripletFilter.hash(ELSEWHERE), today() + 2});
        WITHIN_10_S.until(() -> !filter.knowsAbsent(ELSEWHERE));

        filter.recorded(HERE, Duration.ofDays(2));
        assertThat(filter.knowsAbsent(HERE)).as("at once, on the node that recorded it").isFalse();
    }

    @Test
    void whatItRecordsIsPublishedAndWhatFailsToPublishIsPublishedLater() throws InterruptedException {
        start();
        feed.failing.set(true);
        filter.recorded(HERE, Duration.ofDays(2));
        Thread.sleep(3 * SharedTripletFilter.PUBLISH_EVERY.toMillis());
        assertThat(feed.published).isEmpty();

        feed.failing.set(false);
        WITHIN_10_S.until(() -> !feed.published.isEmpty());
        assertThat(feed.published).hasSize(1);
        assertThat(feed.published.get(0)).containsExactly(TripletFilter.hash(HERE), today() + 2);
    }

    @Test
    void aFilterThatCannotReadTheOtherNodesStopsAnsweringUntilItReadsAgain() {
        start();
        WITHIN_10_S.until(() -> filter.knowsAbsent(NEVER));

        feed.failing.set(true);
        WITHIN_10_S.until(() -> !filter.knowsAbsent(NEVER));
        assertThat(filter.isWhole()).as("only stale: no scan needed yet").isTrue();

        feed.failing.set(false);
        WITHIN_10_S.until(() -> filter.knowsAbsent(NEVER));
    }

    @Test
    void aFilterPastTheFreshnessBoundDoesNotAnswer() {
        start();
        WITHIN_10_S.until(() -> filter.knowsAbsent(NEVER));
        // The machine stalled (a pause of the JVM): the last read is older than the bound, whatever the reads do next.
        nanos.set(SharedTripletFilter.FRESHNESS.toNanos() + SharedTripletFilter.READ_EVERY.toNanos() * 4);
        assertThat(filter.answers()).isFalse();
        assertThat(filter.knowsAbsent(NEVER)).isFalse();
    }

    @Test
    void aScanThatFailsLeavesTheFilterSilent() throws InterruptedException {
        feed.failing.set(true);
        start();
        Thread.sleep(2 * SharedTripletFilter.READ_EVERY.toMillis());
        feed.failing.set(false);
        Thread.sleep(2 * SharedTripletFilter.READ_EVERY.toMillis());
        assertThat(filter.isWhole()).as("tried again after " + SharedTripletFilter.SCAN_RETRY).isFalse();
        assertThat(filter.knowsAbsent(NEVER)).isFalse();
    }

    @Test
    void anOutagesBacklogIsPublishedOnceInTheOrderRecordedWhileNewRecordsKeepComing() throws InterruptedException {
        start();
        feed.failing.set(true);
        List<Long> recorded = new ArrayList<>();
        int backlog = 5 * SharedTripletFilter.MAX_ENTRIES_PER_PUBLICATION;
        for (int i = 0; i < 2 * backlog; i++) {
            if (i == backlog) {
                feed.failing.set(false);
            }
            if (i > backlog && i % 100 == 0) {
                Thread.sleep(1); // the publications take from the queue's front while records join its end
            }
            Triplet triplet = triplet("sender" + i + "@example.net");
            filter.recorded(triplet, Duration.ofDays(2));
            recorded.add(TripletFilter.hash(triplet));
        }
        WITHIN_10_S.until(() -> feed.published.size() >= recorded.size());
        Thread.sleep(3 * SharedTripletFilter.PUBLISH_EVERY.toMillis());
        List<Long> published = new ArrayList<>();
        feed.published.forEach(entry -> published.add(entry[0]));
        assertThat(published).containsExactlyElementsOf(recorded);
    }

    @Test
    void closingPublishesWhatIsLeft() throws InterruptedException {
        start();
        feed.failing.set(true);
        filter.recorded(HERE, Duration.ofDays(2));
        feed.failing.set(false);
        filter.close();
        filter = null;
        assertThat(feed.published).hasSize(1);
    }

    private static long today() {
        return CassandraTripletFeed.expiryDay(Instant.now());
    }

    private static Triplet triplet(String sender) {
        return new Triplet(ClientNetwork.parse("198.51.100.0/24"), sender, "alice@example.com");
    }
}
