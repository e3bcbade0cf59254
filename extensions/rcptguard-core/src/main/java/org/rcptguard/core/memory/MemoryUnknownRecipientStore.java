package org.rcptguard.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
        return events.update(clientNetwork,
            set -> Optional.ofNullable(set).orElseGet(ExpiringSet::empty).with(recipient, expiresAt, now, maxRecipientsPerNetwork),
            expiresAt, now)
            .liveCount(now);
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
