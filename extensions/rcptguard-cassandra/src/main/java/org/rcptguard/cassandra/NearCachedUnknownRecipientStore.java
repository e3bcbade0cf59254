package org.rcptguard.cassandra;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.store.UnknownRecipientStore;

import com.google.common.cache.Cache;

/**
 * Unknown-recipient events with this node's near cache of each scanning network's recipients (docs/design.md,
 * "State"): a network's recipients are read at most once per {@link NearCaches#UNKNOWN_RECIPIENTS}; in between,
 * its count is that read plus what this node recorded since, and every event is written until that count reaches
 * the most a read returns ({@code maxCountedRecipients}). Those
 * named through other nodes are counted here within that bound, so a scan spread over nodes is penalised at most
 * that late; a scan through this node, at once.
 */
final class NearCachedUnknownRecipientStore implements UnknownRecipientStore {
    private final CassandraUnknownRecipientStore store;
    private final int maxCountedRecipients;
    /** The recipients last read, plus those recorded here since; at most {@code maxCountedRecipients} each. */
    private final Cache<ClientNetwork, Set<String>> named;

    NearCachedUnknownRecipientStore(CassandraUnknownRecipientStore store, int maxCountedRecipients, NearCaches caches) {
        this.store = store;
        this.maxCountedRecipients = Math.max(1, maxCountedRecipients);
        this.named = caches.unknownRecipients();
    }

    @Override
    public int recordAndCount(ClientNetwork clientNetwork, String recipient, Duration window) {
        Set<String> known = named.getIfPresent(clientNetwork);
        if (known == null) {
            Set<String> read = new HashSet<>(store.recordAndRead(clientNetwork, recipient, window));
            read.add(recipient);
            named.put(clientNetwork, read);
            return Math.min(read.size(), maxCountedRecipients);
        }
        int count;
        synchronized (known) {
            if (known.size() >= maxCountedRecipients) {
                // Counted to the most a read returns: this event could not raise the count, so it is not written, and a
                // persistent scanner's partition stops growing (the next read, within the bound, writes one again).
                return maxCountedRecipients;
            }
            known.add(recipient);
            count = known.size();
        }
        store.record(clientNetwork, recipient, window);
        return count;
    }

    @Override
    public int count(ClientNetwork clientNetwork) {
        return store.count(clientNetwork);
    }

    @Override
    public void forget(ClientNetwork clientNetwork) {
        named.invalidate(clientNetwork);
        store.forget(clientNetwork);
        named.invalidate(clientNetwork);
    }
}
