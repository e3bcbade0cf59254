package org.rcptguard.core.directory;

import java.time.Duration;
import java.util.Optional;

import org.rcptguard.core.RecipientClass;

/**
 * Answers of SMTP verification (call-forward), shared by every node of a cluster when the store is shared: an
 * address (or {@code @domain} for a domain's catch-all status) and what the backend said, kept for a time to live.
 * Only VALID and INVALID are ever stored.
 */
public interface VerificationCache {
    Optional<RecipientClass> find(String key);

    void save(String key, RecipientClass answer, Duration ttl);

    /** Drops the answer kept for {@code key}, if any (the next lookup asks the backend again). */
    void forget(String key);
}
