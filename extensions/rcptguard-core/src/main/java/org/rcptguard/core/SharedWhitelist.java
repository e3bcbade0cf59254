package org.rcptguard.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.rcptguard.core.store.WhitelistStore;

/**
 * The run-time whitelist as this node sees it: a snapshot of the {@link WhitelistStore}, read by {@link #refresh()}
 * (every {@code whitelist.refresh}, and at once after a change made through this node), so that the RCPT path
 * reads memory only. A failed refresh keeps the last snapshot.
 */
public final class SharedWhitelist {
    private final WhitelistStore store;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(Whitelist.EMPTY, List.of(), null);

    public SharedWhitelist(WhitelistStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Reads the store into a new snapshot; on failure, throws and keeps the previous one. */
    public void refresh() {
        List<WhitelistEntry> entries = store.list();
        snapshot = new Snapshot(Whitelist.of(entries), entries, clock.instant());
    }

    /** Adds the entry to the store and refreshes this node's snapshot. */
    public void add(WhitelistEntry entry) {
        store.add(entry);
        refresh();
    }

    /** Removes the entry from the store and refreshes this node's snapshot. */
    public void remove(WhitelistEntry entry) {
        store.remove(entry);
        refresh();
    }

    /** The snapshot's whitelist: what the policy matches against. */
    public Whitelist current() {
        return snapshot.whitelist;
    }

    /** The snapshot's entries. */
    public List<WhitelistEntry> entries() {
        return snapshot.entries;
    }

    /** When the snapshot was read; empty before the first successful refresh. */
    public Optional<Instant> refreshedAt() {
        return Optional.ofNullable(snapshot.refreshedAt);
    }

    private static final class Snapshot {
        final Whitelist whitelist;
        final List<WhitelistEntry> entries;
        final Instant refreshedAt;

        Snapshot(Whitelist whitelist, List<WhitelistEntry> entries, Instant refreshedAt) {
            this.whitelist = whitelist;
            this.entries = List.copyOf(entries);
            this.refreshedAt = refreshedAt;
        }
    }
}
