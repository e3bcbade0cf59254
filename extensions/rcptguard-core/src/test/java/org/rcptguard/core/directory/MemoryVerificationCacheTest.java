package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.memory.MemoryVerificationCache;

class MemoryVerificationCacheTest implements VerificationCacheContract {
    private final MutableClock clock = new MutableClock();
    private final MemoryVerificationCache cache = new MemoryVerificationCache(clock, 1000);

    @Override
    public VerificationCache verificationCache() {
        return cache;
    }

    @Override
    public void advance(Duration duration) {
        clock.advance(duration);
    }

    @Test
    void itIsBoundedExpiredEntriesGoingFirstThenTheOldest() {
        MemoryVerificationCache small = new MemoryVerificationCache(clock, 100);
        small.save("expiring@example.net", RecipientClass.INVALID, Duration.ofSeconds(1));
        for (int i = 0; i < 99; i++) {
            small.save("user" + i + "@example.net", RecipientClass.VALID, Duration.ofHours(1));
        }
        clock.advance(Duration.ofSeconds(2));
        for (int i = 99; i < 300; i++) {
            small.save("user" + i + "@example.net", RecipientClass.VALID, Duration.ofHours(1));
        }
        assertThat(small.size()).isLessThanOrEqualTo(100);
        assertThat(small.find("user299@example.net")).contains(RecipientClass.VALID);
        assertThat(small.find("user0@example.net")).isEmpty();
    }
}
