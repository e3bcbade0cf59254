package org.rcptguard.cassandra;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Wall-clock latencies of one kind of call, summarised as p50 / p99 / max. */
final class LatencyStats {
    private final String name;
    private final List<Long> nanos = new ArrayList<>();

    LatencyStats(String name) {
        this.name = name;
    }

    void time(Runnable call) {
        long start = System.nanoTime();
        call.run();
        nanos.add(System.nanoTime() - start);
    }

    int count() {
        return nanos.size();
    }

    @Override
    public String toString() {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%-40s n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", name, sorted.size(),
            percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
    }
}
