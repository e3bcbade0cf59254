package org.rcptguard.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The penalty changes every node announces ({@link CassandraPenaltyChanges}), read here every {@link #READ_EVERY}, so
 * that a network's state read from the store may be served for {@link NearCaches#REPUTATION} instead of
 * {@link NearCaches#PENALTIES}: one read of the changes a node, instead of one read a client network, each second.
 *
 * <p>A state read at some instant is not served once a change of its network is heard of since that instant, and
 * past {@link NearCaches#PENALTIES} only while the changes are current (the last read of them started at most
 * {@link #FRESHNESS} ago). A change written before a read of the changes starts is in that read (it looks back
 * {@link #OVERLAP}: the announcement's write time and up to 1 s between the nodes' clocks, as the triplet filter's
 * publications), so a penalty imposed, raised or lifted elsewhere is honoured here within {@link #FRESHNESS} of its
 * announcement, which follows the penalty's own write. While the changes cannot be read, states are served for
 * {@link NearCaches#PENALTIES} only, as without announcements (a warning at most once a minute).
 */
final class PenaltyChanges implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PenaltyChanges.class);

    static final Duration READ_EVERY = Duration.ofMillis(500);
    /** How old the last read of the changes may be while states are served past {@link NearCaches#PENALTIES}. */
    static final Duration FRESHNESS = Duration.ofMillis(750);
    static final Duration OVERLAP = CassandraPenaltyChanges.ANNOUNCE_TIMEOUT.plusSeconds(1);
    /** A change older than every state that may still be served matters to none: a read looks back this far at most. */
    static final Duration LOOK_BACK = NearCaches.REPUTATION.plus(OVERLAP);

    /** Where announcements are read: {@link CassandraPenaltyChanges}, or a test's stand-in. */
    interface Feed {
        /** The networks announced in {@code minute}'s partition after {@code since}. */
        void readSince(Instant minute, Instant since, Consumer<String> networks);
    }

    private final Feed feed;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService executor;
    /** When this node heard of a change of each network, by the store's clock: states read before are not served long. */
    private final Map<String, Long> heardAt = new ConcurrentHashMap<>();
    private final ThrottledWarning readFailed = new ThrottledWarning();
    private Instant readFrom;
    private volatile long lastReadNanos;
    private volatile boolean everRead;

    /**
     * @param clock    the near caches' clock (when a state was read); announcements are stamped by the machine's
     * @param nanoTime the monotonic time of the freshness bound
     */
    PenaltyChanges(Feed feed, Clock clock, LongSupplier nanoTime) {
        this.feed = feed;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rcptguard-penalty-changes"));
        this.readFrom = Instant.now().minus(OVERLAP);
    }

    static PenaltyChanges start(Feed feed, Clock clock) {
        PenaltyChanges changes = new PenaltyChanges(feed, clock, System::nanoTime);
        changes.start();
        return changes;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::read, 0, READ_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a change of {@code clientNetwork} was heard of at or after {@code readAtMillis} (the clock's). */
    boolean heardOfSince(ClientNetwork clientNetwork, long readAtMillis) {
        Long heard = heardAt.get(clientNetwork.asString());
        return heard != null && heard >= readAtMillis;
    }

    /** Whether the last read of the changes started at most {@link #FRESHNESS} ago. */
    boolean current() {
        return everRead && nanoTime.getAsLong() - lastReadNanos <= FRESHNESS.toNanos();
    }

    void read() {
        Instant start = Instant.now();
        long startNanos = nanoTime.getAsLong();
        Instant lookBack = start.minus(LOOK_BACK);
        Instant since = readFrom.isBefore(lookBack) ? lookBack : readFrom;
        try {
            Consumer<String> heard = network -> heardAt.put(network, clock.millis());
            for (Instant minute : MinutePartitions.between(since, start)) {
                feed.readSince(minute, since, heard);
            }
            readFrom = start.minus(OVERLAP);
            lastReadNanos = startNanos;
            everRead = true;
            long forgotten = clock.millis() - LOOK_BACK.toMillis();
            heardAt.values().removeIf(at -> at < forgotten);
        } catch (RuntimeException e) {
            long failures = readFailed.occurred();
            if (failures > 0) {
                LOGGER.warn("RcptGuard could not read the penalty changes of the other nodes ({} times since the last such"
                    + " line; client networks are read every {} meanwhile): {}", failures, NearCaches.PENALTIES, e.toString());
            }
        }
    }

    /** Networks heard of and still remembered: for tests. */
    int remembered() {
        return heardAt.size();
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
