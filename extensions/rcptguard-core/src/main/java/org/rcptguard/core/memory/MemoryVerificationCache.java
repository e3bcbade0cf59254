package org.rcptguard.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.directory.VerificationCache;

/** One node's verification cache: expiring entries, capped in number (at the cap, expired then oldest go first). */
public final class MemoryVerificationCache implements VerificationCache {
    private final BoundedExpiringMap<String, RecipientClass> answers;
    private final Clock clock;

    public MemoryVerificationCache(Clock clock, int maxEntries) {
        this.answers = new BoundedExpiringMap<>(maxEntries);
        this.clock = clock;
    }

    @Override
    public Optional<RecipientClass> find(String key) {
        return answers.get(key, clock.instant());
    }

    @Override
    public void save(String key, RecipientClass answer, Duration ttl) {
        if (answer == RecipientClass.UNDECIDED) {
            throw new IllegalArgumentException("an undecided answer is never cached");
        }
        Instant now = clock.instant();
        answers.put(key, answer, now.plus(ttl), now);
    }

    @Override
    public void forget(String key) {
        answers.remove(key);
    }

    public int size() {
        return answers.size();
    }
}
