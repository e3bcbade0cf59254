package org.rcptguard.core.memory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.store.WhitelistStore;

/** The run-time whitelist of a single node; lost on restart, like the rest of the memory store. */
public final class MemoryWhitelistStore implements WhitelistStore {
    private final Set<WhitelistEntry> entries = ConcurrentHashMap.newKeySet();

    @Override
    public List<WhitelistEntry> list() {
        return List.copyOf(entries);
    }

    @Override
    public void add(WhitelistEntry entry) {
        entries.add(entry);
    }

    @Override
    public void remove(WhitelistEntry entry) {
        entries.remove(entry);
    }
}
