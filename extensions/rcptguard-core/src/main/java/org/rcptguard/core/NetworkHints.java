package org.rcptguard.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client networks this node last found in some state (auto-whitelisted, penalised). Only a hint on which reads to
 * start: every decision still reads the network's state, so a stale hint costs one more round trip, never a wrong
 * answer. Bounded: when full it starts afresh.
 */
final class NetworkHints {
    private static final int MAX_NETWORKS = 10_000;

    private final Set<ClientNetwork> networks = ConcurrentHashMap.newKeySet();

    boolean contains(ClientNetwork network) {
        return networks.contains(network);
    }

    /**
     * Adds the network when {@code present}, removes it otherwise. Called at every RCPT: written only when the hint
     * changes, since a write to the shared set is dearer than the read (profiled, both cores writing it at once).
     */
    void set(ClientNetwork network, boolean present) {
        if (present == networks.contains(network)) {
            return;
        }
        if (present) {
            add(network);
        } else {
            networks.remove(network);
        }
    }

    private void add(ClientNetwork network) {
        if (networks.size() >= MAX_NETWORKS) {
            networks.clear();
        }
        networks.add(network);
    }
}
