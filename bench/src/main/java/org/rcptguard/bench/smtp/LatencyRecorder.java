package org.rcptguard.bench.smtp;

import java.util.Arrays;

/** Reply latencies in microseconds, kept whole (a run is bounded) so that the percentiles are exact. */
public final class LatencyRecorder {
    private long[] values = new long[1 << 14];
    private int size;

    public void record(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos / 1000;
    }

    public synchronized void addAll(LatencyRecorder other) {
        for (int i = 0; i < other.size; i++) {
            record(other.values[i] * 1000);
        }
    }

    public int count() {
        return size;
    }

    /** Latency in milliseconds at the given quantile (0..1), 0 when nothing was recorded. */
    public double percentileMillis(double quantile) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.ceil(quantile * size) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
