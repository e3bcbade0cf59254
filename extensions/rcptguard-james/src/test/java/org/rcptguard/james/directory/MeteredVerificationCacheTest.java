package org.rcptguard.james.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.memory.MemoryVerificationCache;
import org.rcptguard.james.RcptGuardMetrics;

class MeteredVerificationCacheTest {
    private final RecordingMetricFactory metricFactory = new RecordingMetricFactory();
    private final RcptGuardMetrics metrics = new RcptGuardMetrics(metricFactory, new NoopGaugeRegistry(),
        RcptGuardConfiguration.fromProperties(new Properties()));
    private final MeteredVerificationCache cache = new MeteredVerificationCache(new MemoryVerificationCache(Clock.systemUTC(), 10), metrics);

    @Test
    void lookUpsAreCountedAsHitsAndMisses() {
        cache.find("alice@example.net");
        cache.save("alice@example.net", RecipientClass.VALID, Duration.ofHours(1));
        cache.find("alice@example.net");
        cache.find("alice@example.net");

        assertThat(metricFactory.countFor(RcptGuardMetrics.VERIFICATION_CACHE_HITS)).isEqualTo(2);
        assertThat(metricFactory.countFor(RcptGuardMetrics.VERIFICATION_CACHE_MISSES)).isEqualTo(1);
    }

    @Test
    void forgettingReachesTheCache() {
        cache.save("alice@example.net", RecipientClass.VALID, Duration.ofHours(1));
        cache.forget("alice@example.net");

        assertThat(cache.find("alice@example.net")).isEmpty();
    }

    @Test
    void catchAllDetectionsAreCounted() {
        metrics.recordCatchAllDetection();

        assertThat(metricFactory.countFor(RcptGuardMetrics.CATCH_ALL_DETECTIONS)).isEqualTo(1);
    }
}
