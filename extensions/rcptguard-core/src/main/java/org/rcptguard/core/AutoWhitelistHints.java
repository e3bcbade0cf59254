package org.rcptguard.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client networks this node last found auto-whitelisted. Only a hint on which reads to start: every decision
 * still reads the network's state, so a stale hint costs one more round trip, never a wrong answer. Bounded: when
 * full it starts afresh.
 */
final class AutoWhitelistHints {
    private static final int MAX_NETWORKS = 10_000;

    private final Set<ClientNetwork> networks = ConcurrentHashMap.newKeySet();

    boolean contains(ClientNetwork network) {
        return networks.contains(network);
    }

    void add(ClientNetwork network) {
        if (networks.size() >= MAX_NETWORKS) {
            networks.clear();
        }
        networks.add(network);
    }

    void remove(ClientNetwork network) {
        networks.remove(network);
    }
}
