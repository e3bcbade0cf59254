package org.rcptguard.james.directory;

import java.time.Duration;
import java.util.Optional;

import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.directory.VerificationCache;
import org.rcptguard.james.RcptGuardMetrics;

/** The verification cache with its look-ups counted: {@value RcptGuardMetrics#VERIFICATION_CACHE_HITS} and misses. */
final class MeteredVerificationCache implements VerificationCache {
    private final VerificationCache cache;
    private final RcptGuardMetrics metrics;

    MeteredVerificationCache(VerificationCache cache, RcptGuardMetrics metrics) {
        this.cache = cache;
        this.metrics = metrics;
    }

    @Override
    public Optional<RecipientClass> find(String key) {
        Optional<RecipientClass> answer = cache.find(key);
        metrics.recordVerificationCacheLookup(answer.isPresent());
        return answer;
    }

    @Override
    public void save(String key, RecipientClass answer, Duration ttl) {
        cache.save(key, answer, ttl);
    }

    @Override
    public void forget(String key) {
        cache.forget(key);
    }
}
