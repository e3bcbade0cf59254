package org.rcptguard.cassandra;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.ThrottledWarning;
import org.rcptguard.core.Triplet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's {@link TripletFilter} of every triplet in the greylist, kept current from the other nodes'
 * publications (docs/design.md, "State", the triplet filter), so that a first contact costs no read: a triplet the
 * filter has never heard of has no record, or one made on another node within the last {@link #KNOWLEDGE_LAG},
 * which cannot have passed yet since the greylist delay is longer ({@link #MIN_DELAY}). Either way the reply is
 * a deferral; the second case rewrites that record's first attempt a few seconds later, which delays its pass by
 * as much.
 *
 * <p>The filter answers "absent" only while it is whole and current: after this node's scan of the greylist at
 * start-up (publications are read from before the scan, so nothing recorded meanwhile escapes) and while its last
 * read of the publications is at most {@link #FRESHNESS} old. Otherwise every triplet is read, as without a filter:
 * a store that cannot be read for a while costs reads, never a wrong answer. A node that has read nothing for half
 * the publications' retention scans the greylist again.
 */
final class SharedTripletFilter implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SharedTripletFilter.class);

    static final Duration PUBLISH_EVERY = Duration.ofMillis(100);
    static final Duration READ_EVERY = Duration.ofMillis(500);
    /**
     * Publications are read again this far back: their write's time (at most {@link CassandraTripletFeed#PUBLISH_TIMEOUT};
     * one that takes longer fails and is published again) plus the nodes' clock difference (at most 1 s: NTP).
     */
    static final Duration OVERLAP = CassandraTripletFeed.PUBLISH_TIMEOUT.plusSeconds(1);
    /** How old the last read of publications may be while the filter answers. */
    static final Duration FRESHNESS = Duration.ofSeconds(2);
    /** How long a triplet recorded on another node may be unknown here: its publication, then a read within FRESHNESS. */
    static final Duration KNOWLEDGE_LAG = PUBLISH_EVERY.plus(CassandraTripletFeed.PUBLISH_TIMEOUT).plus(FRESHNESS);
    /** The filter is used with a greylist delay of at least this, well above {@link #KNOWLEDGE_LAG}. */
    static final Duration MIN_DELAY = Duration.ofSeconds(10);
    /** A scan that failed is tried again after this. */
    static final Duration SCAN_RETRY = Duration.ofSeconds(30);
    /** Entries published in one row at most (16 bytes each: 64 KiB). */
    static final int MAX_ENTRIES_PER_PUBLICATION = 4_096;
    /** Entries waiting for publication at most; beyond, the newest are not published (counted, logged). */
    static final int MAX_UNPUBLISHED = 1 << 20;

    /** What the filter reads and writes: {@link CassandraTripletFeed}, or a test's stand-in. */
    interface Feed {
        void publish(ByteBuffer entries);

        /** Reads the entries published in {@code minute}'s partition after {@code since}. */
        void readSince(Instant minute, Instant since, Entries entries);

        /** Reads the key of every triplet in the greylist, with the day its record expires. */
        void scanGreylist(Instant now, Entries entries);
    }

    /** A triplet's hash and the day its record expires. */
    interface Entries {
        void accept(long hash, long expiryDay);
    }

    private final TripletFilter filter = new TripletFilter();
    private final Feed feed;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService executor;
    private final AtomicLong unpublishedDropped = new AtomicLong();
    // Retried twice a second (reads) and up to ten times a second (publications): a line a minute while they fail.
    private final ThrottledWarning readFailed = new ThrottledWarning();
    private final ThrottledWarning publishFailed = new ThrottledWarning();
    /** Pairs (hash, expiry day), entries {@link #unpublishedHead} to {@link #unpublishedEnd}: a queue, oldest first. */
    private long[] unpublished = new long[64];
    private int unpublishedHead;
    private int unpublishedEnd;
    /** The start of the reads of publications: the next read starts {@link #OVERLAP} before the last one began. */
    private Instant readFrom;
    private volatile long lastReadNanos;
    private volatile boolean whole;

    /**
     * @param clock    the greylist's clock (records' expiry); publications are stamped by the machine's
     * @param nanoTime the monotonic time of the freshness bound
     */
    SharedTripletFilter(Feed feed, Clock clock, LongSupplier nanoTime) {
        this.feed = feed;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.executor = Executors.newScheduledThreadPool(2, DaemonThreads.named("rcptguard-triplet-filter"));
    }

    /** Starts reading publications, then scans the greylist; the filter answers once the scan is done. */
    static SharedTripletFilter start(Feed feed, Clock clock) {
        SharedTripletFilter shared = new SharedTripletFilter(feed, clock, System::nanoTime);
        shared.start();
        return shared;
    }

    void start() {
        readFrom = Instant.now().minus(OVERLAP);
        executor.scheduleWithFixedDelay(this::readPublications, 0, READ_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::publish, PUBLISH_EVERY.toMillis(), PUBLISH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        executor.execute(this::scan);
    }

    /** Whether {@code triplet} is certainly not in the greylist: the filter is whole, current and has never heard of it. */
    boolean knowsAbsent(Triplet triplet) {
        return answers() && !filter.mightContain(TripletFilter.hash(triplet), CassandraTripletFeed.expiryDay(clock.instant()));
    }

    /** Whether the filter answers: whole, and its last read of the publications at most {@link #FRESHNESS} old. */
    boolean answers() {
        return whole && nanoTime.getAsLong() - lastReadNanos <= FRESHNESS.toNanos();
    }

    int entries() {
        return filter.entries();
    }

    /** Notes a record of {@code triplet} written for {@code ttl}, here and, soon, for the other nodes. */
    void recorded(Triplet triplet, Duration ttl) {
        long hash = TripletFilter.hash(triplet);
        long expiryDay = CassandraTripletFeed.expiryDay(clock.instant().plus(ttl));
        filter.add(hash, expiryDay);
        queue(hash, expiryDay);
    }

    private synchronized void queue(long hash, long expiryDay) {
        int count = unpublishedEnd - unpublishedHead;
        if (count >= MAX_UNPUBLISHED) {
            if (unpublishedDropped.incrementAndGet() % 10_000 == 1) {
                LOGGER.warn("RcptGuard's triplet filter cannot publish to the other nodes ({} triplets not published):"
                    + " they may defer a retry of these once more", unpublishedDropped.get());
            }
            return;
        }
        if (2 * unpublishedEnd + 2 > unpublished.length) {
            // The published entries at the front make room first; the array doubles only when they are under half of
            // it. Either way each entry is copied a bounded number of times, however long an outage's backlog.
            long[] target = 2 * count + 2 > unpublished.length / 2 ? new long[2 * unpublished.length] : unpublished;
            System.arraycopy(unpublished, 2 * unpublishedHead, target, 0, 2 * count);
            unpublished = target;
            unpublishedHead = 0;
            unpublishedEnd = count;
        }
        unpublished[2 * unpublishedEnd] = hash;
        unpublished[2 * unpublishedEnd + 1] = expiryDay;
        unpublishedEnd++;
    }

    /**
     * The oldest entries not yet published, one publication's worth at most: they stay queued until
     * {@link #published}.
     */
    private synchronized ByteBuffer oldestUnpublished() {
        int count = Math.min(unpublishedEnd - unpublishedHead, MAX_ENTRIES_PER_PUBLICATION);
        ByteBuffer entries = ByteBuffer.allocate(count * CassandraTripletFeed.ENTRY_BYTES);
        for (int i = 0; i < 2 * count; i++) {
            entries.putLong(unpublished[2 * unpublishedHead + i]);
        }
        return entries.flip();
    }

    /** Only the publishing thread removes entries, and only from the front: the oldest are those it published. */
    private synchronized void published(int count) {
        unpublishedHead += count;
    }

    /** Publishes what was recorded since the last time: one row, more only past {@link #MAX_ENTRIES_PER_PUBLICATION}. */
    private void publish() {
        boolean full = true;
        while (full) {
            ByteBuffer entries = oldestUnpublished();
            int count = entries.remaining() / CassandraTripletFeed.ENTRY_BYTES;
            if (count == 0) {
                return;
            }
            full = count == MAX_ENTRIES_PER_PUBLICATION;
            try {
                feed.publish(entries);
                published(count);
            } catch (RuntimeException e) {
                long failures = publishFailed.occurred();
                if (failures > 0) {
                    LOGGER.warn("RcptGuard's triplet filter could not publish {} triplets ({} failures since the last such"
                        + " line; tried again shortly): {}", count, failures, e.toString());
                }
                return;
            }
        }
    }

    private void readPublications() {
        Instant start = Instant.now();
        long startNanos = nanoTime.getAsLong();
        Instant since = readFrom;
        if (Duration.between(since, start).compareTo(CassandraTripletFeed.RETENTION.dividedBy(2)) > 0) {
            // publications may have expired unread: start the filter again from the greylist
            LOGGER.warn("RcptGuard's triplet filter has read no publication since {}: scanning the greylist again", since);
            whole = false;
            since = start.minus(OVERLAP);
            readFrom = since;
            executor.execute(this::scan);
        }
        try {
            for (Instant minute : MinutePartitions.between(since, start)) {
                feed.readSince(minute, since, filter::add);
            }
            readFrom = start.minus(OVERLAP);
            lastReadNanos = startNanos;
            filter.dropBefore(CassandraTripletFeed.expiryDay(clock.instant()));
        } catch (RuntimeException e) {
            long failures = readFailed.occurred();
            if (failures > 0) {
                LOGGER.warn("RcptGuard's triplet filter could not read the other nodes' triplets ({} times since the last"
                    + " such line; every triplet is read meanwhile): {}", failures, e.toString());
            }
        }
    }

    private void scan() {
        if (whole) {
            return;
        }
        long started = System.nanoTime();
        try {
            feed.scanGreylist(clock.instant(), filter::add);
            whole = true;
            LOGGER.info("RcptGuard's triplet filter holds the greylist: {} entries, {} KiB, scanned in {} ms", filter.entries(),
                filter.bytes() / 1024, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException e) {
            LOGGER.warn("RcptGuard's triplet filter could not scan the greylist (every triplet is read meanwhile; tried again in {}): {}",
                SCAN_RETRY, e.toString());
            executor.schedule(this::scan, SCAN_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    boolean isWhole() {
        return whole;
    }

    /** Stops reading and publishes what this node recorded and has not published yet. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        publish();
    }
}
