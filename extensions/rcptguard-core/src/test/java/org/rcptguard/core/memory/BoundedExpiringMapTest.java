package org.rcptguard.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BoundedExpiringMapTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void neverHoldsMoreThanItsCapWhateverIsWritten() {
        BoundedExpiringMap<Integer, String> map = new BoundedExpiringMap<>(1000);

        for (int i = 0; i < 1_000_000; i++) {
            map.put(i, "v", NOW.plus(Duration.ofDays(1)), NOW);
        }

        assertThat(map.size()).isLessThanOrEqualTo(1000);
        assertThat(map.get(999_999, NOW)).contains("v");
    }

    @Test
    void evictsExpiredEntriesBeforeLiveOnes() {
        BoundedExpiringMap<Integer, String> map = new BoundedExpiringMap<>(100);
        map.put(-1, "long-lived", NOW.plus(Duration.ofDays(30)), NOW);
        for (int i = 0; i < 99; i++) {
            map.put(i, "short", NOW.plusSeconds(1), NOW);
        }

        Instant later = NOW.plusSeconds(2);
        map.put(1000, "new", later.plusSeconds(60), later);

        assertThat(map.get(-1, later)).contains("long-lived");
        assertThat(map.get(1000, later)).contains("new");
        assertThat(map.size()).isEqualTo(2);
    }

    @Test
    void anExpiredEntryIsAbsent() {
        BoundedExpiringMap<String, String> map = new BoundedExpiringMap<>(10);
        map.put("k", "v", NOW.plusSeconds(10), NOW);

        assertThat(map.get("k", NOW.plusSeconds(9))).contains("v");
        assertThat(map.get("k", NOW.plusSeconds(10))).isEmpty();
    }

    @Test
    void concurrentWritersKeepTheCap() throws Exception {
        BoundedExpiringMap<String, Integer> map = new BoundedExpiringMap<>(5000);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            int thread = t;
            executor.submit(() -> {
                for (int i = 0; i < 50_000; i++) {
                    map.update(thread + ":" + (i % 7000), value -> value == null ? 1 : value + 1, NOW.plusSeconds(60), NOW);
                }
            });
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(map.size()).isLessThanOrEqualTo(5000);
    }
}
