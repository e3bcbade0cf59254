package org.rcptguard.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ExpiringSetTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final ExpiringSet<String> set = new ExpiringSet<>();

    private int recordAt(String key, Duration after, int maxSize) {
        Instant now = T0.plus(after);
        return set.record(key, now.plus(WINDOW), now, maxSize);
    }

    @Test
    void countsDistinctKeysOnce() {
        assertThat(recordAt("a", Duration.ZERO, 10)).isEqualTo(1);
        assertThat(recordAt("b", Duration.ofSeconds(1), 10)).isEqualTo(2);
        assertThat(recordAt("a", Duration.ofSeconds(2), 10)).isEqualTo(2);
    }

    @Test
    void keysExpireAfterTheirWindow() {
        recordAt("a", Duration.ZERO, 10);
        recordAt("b", Duration.ofMinutes(5), 10);
        assertThat(set.liveCount(T0.plus(WINDOW).minusMillis(1))).isEqualTo(2);
        assertThat(set.liveCount(T0.plus(WINDOW))).isEqualTo(1);
        assertThat(set.liveCount(T0.plus(Duration.ofMinutes(15)))).isZero();
    }

    @Test
    void recordingAgainRenewsTheExpiry() {
        recordAt("a", Duration.ZERO, 10);
        recordAt("b", Duration.ofMinutes(1), 10);
        recordAt("a", Duration.ofMinutes(2), 10);
        // a, renewed at 2 min, outlives b (recorded at 1 min)
        assertThat(set.liveCount(T0.plus(WINDOW).plus(Duration.ofMinutes(1)))).isEqualTo(1);
        assertThat(recordAt("c", WINDOW.plus(Duration.ofMinutes(1)), 10)).isEqualTo(2);
    }

    @Test
    void atTheCapTheSoonestToExpireGoFirst() {
        for (int i = 0; i < 5; i++) {
            assertThat(recordAt("k" + i, Duration.ofSeconds(i), 3)).isEqualTo(Math.min(i + 1, 3));
        }
        recordAt("k2", Duration.ofSeconds(5), 3); // renewed: now the youngest
        assertThat(recordAt("k5", Duration.ofSeconds(6), 3)).isEqualTo(3);
        // k3 was the eldest left: evicted; k4, k2 and k5 remain until their own expiries
        assertThat(set.liveCount(T0.plus(WINDOW).plus(Duration.ofSeconds(4)))).isEqualTo(2);
        assertThat(set.liveCount(T0.plus(WINDOW).plus(Duration.ofSeconds(5)))).isEqualTo(1);
    }

    @Test
    void aScannersSetStopsAtTheCap() {
        for (int i = 0; i < 200; i++) {
            assertThat(recordAt("probe" + i, Duration.ofMillis(i), 74)).isEqualTo(Math.min(i + 1, 74));
        }
        assertThat(recordAt("probe150", Duration.ofMillis(200), 74)).isEqualTo(74);
        // probe126 to probe199 were kept; probe126, the eldest, goes when a new key arrives
        assertThat(recordAt("probe-new", Duration.ofMillis(201), 74)).isEqualTo(74);
        assertThat(set.liveCount(T0.plus(WINDOW).plus(Duration.ofMillis(127)))).isEqualTo(73);
        // probe127 to probe149 expire; probe150, renewed, stays
        assertThat(set.liveCount(T0.plus(WINDOW).plus(Duration.ofMillis(151)))).isEqualTo(50);
    }
}
