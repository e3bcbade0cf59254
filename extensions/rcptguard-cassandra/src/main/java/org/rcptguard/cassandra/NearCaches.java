package org.rcptguard.cassandra;

import java.time.Clock;
import java.time.Duration;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

/**
 * The bounds of this node's near caches of the Cassandra store (docs/design.md, "State"): how long each answer may
 * be served from memory, so how long another node's write (or an operator's action there) may go unseen here, and
 * how many entries each holds. Guava's cache (James ships Guava; Caffeine it does not), timed by the store's clock.
 */
final class NearCaches {
    /** A passed triplet is answered from memory this long: a triplet forgotten elsewhere still passes here so long. */
    static final Duration PASSED_TRIPLETS = Duration.ofSeconds(10);
    /**
     * A network's reputation and penalty, while the other nodes' penalty changes cannot be read
     * ({@link PenaltyChanges}): a penalty imposed, raised or lifted elsewhere is honoured here within this.
     */
    static final Duration PENALTIES = Duration.ofSeconds(1);
    /**
     * A network's reputation and penalty while the penalty changes are read: its passed triplets recorded through other
     * nodes are counted here within this (a penalty changed elsewhere is heard of within {@link PenaltyChanges#FRESHNESS}).
     */
    static final Duration REPUTATION = Duration.ofSeconds(10);
    /** A network's state served this old is read again in the background (a network in use never waits for its read). */
    static final Duration REFRESH_AHEAD = Duration.ofSeconds(8);
    /** A network's unknown recipients: those named through other nodes are counted here within this. */
    static final Duration UNKNOWN_RECIPIENTS = Duration.ofSeconds(1);
    /** How often a penalty's raises are written, at most (its imposition is written at once). */
    static final Duration PENALTY_RAISES = Duration.ofSeconds(1);

    static final int MAX_PASSED_TRIPLETS = 20_000;
    static final int MAX_CLIENT_NETWORKS = 10_000;
    static final int MAX_SCANNING_NETWORKS = 1_000;
    /** Writes after the reply waiting or in flight at once; beyond, the RCPT waits for its own. */
    static final int MAX_DEFERRED_WRITES = 256;
    /** Writes per request after the reply: Cassandra warns of an unlogged batch over more than 10 partitions. */
    static final int MAX_WRITES_PER_REQUEST = 10;
    /** Requests of writes after the reply in flight at once: fewer means fuller requests under load. */
    static final int MAX_DEFERRED_REQUESTS = 4;

    private final Ticker ticker;

    NearCaches(Clock clock) {
        this.ticker = new Ticker() {
            @Override
            public long read() {
                return clock.millis() * 1_000_000L;
            }
        };
    }

    Cache<Triplet, TripletRecord> passedTriplets() {
        return cache(MAX_PASSED_TRIPLETS, PASSED_TRIPLETS);
    }

    <V> Cache<ClientNetwork, V> clientNetworks() {
        return cache(MAX_CLIENT_NETWORKS, REPUTATION);
    }

    <V> Cache<ClientNetwork, V> unknownRecipients() {
        return cache(MAX_SCANNING_NETWORKS, UNKNOWN_RECIPIENTS);
    }

    private <K, V> Cache<K, V> cache(int maxEntries, Duration staleness) {
        return CacheBuilder.newBuilder()
            .ticker(ticker)
            .maximumSize(maxEntries)
            .expireAfterWrite(staleness)
            .build();
    }
}
