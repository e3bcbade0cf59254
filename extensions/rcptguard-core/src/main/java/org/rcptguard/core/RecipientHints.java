package org.rcptguard.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recipients this node last found valid, and when. Only a hint on which look-ups to skip: an auto-whitelisted client's
 * RCPT is answered by James, and RcptGuard looks its recipient up in the background only to count an unknown one for
 * scan detection; a recipient found valid less than {@link #FRESHNESS} ago is not looked up again. Never used for a
 * reply. A recipient removed from the directory goes uncounted for at most that long (a scanner's guesses are never
 * valid, so they are always looked up). Bounded: when full it starts afresh.
 */
final class RecipientHints {
    static final Duration FRESHNESS = Duration.ofSeconds(60);
    private static final int MAX_RECIPIENTS = 10_000;

    private final Map<String, Long> foundValidAt = new ConcurrentHashMap<>();

    /** @param nowMillis the time now, as the policy's clock gives it */
    boolean recentlyValid(String recipientKey, long nowMillis) {
        Long found = foundValidAt.get(recipientKey);
        return found != null && nowMillis - found < FRESHNESS.toMillis();
    }

    /** Remembers a recipient just found valid (at most every half of {@link #FRESHNESS}), forgets one found otherwise. */
    void found(String recipientKey, RecipientClass recipientClass, long nowMillis) {
        if (recipientClass != RecipientClass.VALID) {
            foundValidAt.remove(recipientKey);
            return;
        }
        Long found = foundValidAt.get(recipientKey);
        if (found != null && nowMillis - found < FRESHNESS.toMillis() / 2) {
            // Recorded recently enough: a steady recipient costs a read here, not a write per RCPT.
            return;
        }
        if (foundValidAt.size() >= MAX_RECIPIENTS) {
            foundValidAt.clear();
        }
        foundValidAt.put(recipientKey, nowMillis);
    }
}
