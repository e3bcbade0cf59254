package org.rcptguard.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning that a flood can raise thousands of times a second: each occurrence is counted, and a line is due at most
 * once a minute, carrying the count since the last one. Thread-safe.
 */
public final class ThrottledWarning {
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong sinceLine = new AtomicLong();
    private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    /** Counts one occurrence; returns how many there were since the last line when a line is due now, else 0. */
    public long occurred() {
        sinceLine.incrementAndGet();
        long last = lastLine.get();
        long now = System.nanoTime();
        if (now - last >= INTERVAL_NANOS && lastLine.compareAndSet(last, now)) {
            return sinceLine.getAndSet(0);
        }
        return 0;
    }
}
