package org.rcptguard.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.store.UnknownRecipientStore;

public final class MemoryUnknownRecipientStore implements UnknownRecipientStore {
    private final BoundedExpiringMap<ClientNetwork, ExpiringSet<String>> events;
    private final Clock clock;
    private final int maxRecipientsPerNetwork;

    /**
     * @param maxRecipientsPerNetwork counting stops there: past the level where the penalty reaches its cap, more
     *                                evidence changes nothing
     */
    public MemoryUnknownRecipientStore(Clock clock, int maxEntries, int maxRecipientsPerNetwork) {
        this.events = new BoundedExpiringMap<>(maxEntries);
        this.clock = clock;
        this.maxRecipientsPerNetwork = maxRecipientsPerNetwork;
    }

    @Override
    public int recordAndCount(ClientNetwork clientNetwork, String recipient, Duration window) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(window);
        // The set is recorded into outside the map's lock: a set evicted meanwhile loses one event, as at the cap.
        return events.update(clientNetwork, set -> set == null ? new ExpiringSet<>() : set, expiresAt, now)
            .record(recipient, expiresAt, now, maxRecipientsPerNetwork);
    }

    @Override
    public int count(ClientNetwork clientNetwork) {
        Instant now = clock.instant();
        return events.get(clientNetwork, now).map(set -> set.liveCount(now)).orElse(0);
    }

    @Override
    public void forget(ClientNetwork clientNetwork) {
        events.remove(clientNetwork);
    }
}
