package org.rcptguard.bench.jmh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The real time, shifted by an offset that a benchmark's setup moves forward (to let a triplet's greylisting delay
 * elapse without sleeping). Like {@link Clock#systemUTC()} it reads the system time and makes one {@link Instant} a
 * reading, so the decisions measured pay what they pay in production for the time; a fixed clock would hide that.
 */
final class ShiftedClock extends Clock {
    private volatile long offsetMillis;

    /** Moves this clock's time forward by {@code duration}. */
    void advance(Duration duration) {
        offsetMillis += duration.toMillis();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("a UTC clock only");
        }
        return this;
    }
}
