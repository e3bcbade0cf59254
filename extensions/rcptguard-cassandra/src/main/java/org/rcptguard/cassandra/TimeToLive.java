package org.rcptguard.cassandra;

import java.time.Duration;

/**
 * Cassandra time-to-live values for "keep this at least {@code duration}": whole seconds, at most Cassandra's
 * 20 years.
 *
 * <p>Cassandra expires a cell written with TTL {@code n} at (write time floored to the second) + {@code n}: it
 * lives between {@code n - 1} and {@code n} seconds. So the TTL is the duration rounded up to whole seconds, plus
 * one second: a row never disappears before its time and outlives it by at most 2 s. (Rules needing more precision
 * compare the stored instants themselves, as {@link CassandraClientNetworkStore} does with a penalty's end.)
 */
final class TimeToLive {
    /** Cassandra refuses a TTL above 20 years ({@code Attributes.MAX_TTL}). */
    static final int MAX_SECONDS = 630_720_000;

    private TimeToLive() {
    }

    /** At least 1 (a zero or negative duration): a TTL of 0 would mean "never expires". */
    static int seconds(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return 1;
        }
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0) + 1;
        return (int) Math.min(seconds, MAX_SECONDS);
    }
}
