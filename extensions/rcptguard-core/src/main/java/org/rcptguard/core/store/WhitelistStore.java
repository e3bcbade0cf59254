package org.rcptguard.core.store;

import java.util.List;

import org.rcptguard.core.WhitelistEntry;

/**
 * The whitelist entries added at run time (WebAdmin), shared by every node of a deployment. Entries last until
 * removed. Never read on the RCPT path: each node reads {@link #list()} into a snapshot every few seconds
 * ({@code whitelist.refresh}).
 */
public interface WhitelistStore {
    /** Every entry, in no particular order. */
    List<WhitelistEntry> list();

    /** Adds the entry; adding it again changes nothing. */
    void add(WhitelistEntry entry);

    /** Removes the entry; removing an absent entry changes nothing. */
    void remove(WhitelistEntry entry);
}
