package org.rcptguard.core.directory;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;

/**
 * The recipient directory of the whole MX: each domain named in {@code directory.domains} is looked up in its own
 * chain of sources through a {@link BoundedLookup} (timeout, bounded concurrency) and has the reply floor; every
 * other domain is left to the hosted directory (James's users, aliases and domains), answered in memory.
 */
public final class DomainDirectory implements RecipientDirectory {
    private final RecipientDirectory hosted;
    private final Map<String, ? extends RecipientSource> chains;
    private final BoundedLookup lookup;
    private final Duration replyFloor;

    /** @param replyFloor the least time a reply that hides a chained domain's recipient class takes (the timeout at least) */
    public DomainDirectory(RecipientDirectory hosted, Map<String, ? extends RecipientSource> chains, BoundedLookup lookup,
                           Duration replyFloor) {
        this.hosted = hosted;
        this.chains = Map.copyOf(chains);
        this.lookup = lookup;
        this.replyFloor = replyFloor;
    }

    @Override
    public boolean governs(String domain) throws Exception {
        return chains.containsKey(domain.toLowerCase(Locale.ROOT)) || hosted.governs(domain);
    }

    @Override
    public RecipientClass classify(String address) throws Exception {
        String lowerCase = address.toLowerCase(Locale.ROOT);
        RecipientSource chain = chainOf(lowerCase);
        if (chain == null) {
            return hosted.classify(address);
        }
        return lookup.classify(chain, lowerCase);
    }

    /** What {@link #classify} would answer, with the source that decided (timeout and bound as on the RCPT path, no floor). */
    @Override
    public DirectoryAnswer explain(String address) throws Exception {
        String lowerCase = address.toLowerCase(Locale.ROOT);
        RecipientSource chain = chainOf(lowerCase);
        if (chain == null) {
            return hosted.explain(address);
        }
        return lookup.explain(chain, lowerCase);
    }

    /** A chained domain's lookups take the time of its sources (a cache hit, a slow backend, a failure): floored. */
    @Override
    public Duration replyFloor(String address) {
        return chainOf(address.toLowerCase(Locale.ROOT)) == null ? hosted.replyFloor(address) : replyFloor;
    }

    /** The source chain of the address's domain; null for a domain James's own directory answers. */
    private RecipientSource chainOf(String lowerCaseAddress) {
        int at = lowerCaseAddress.lastIndexOf('@');
        return at < 0 ? null : chains.get(lowerCaseAddress.substring(at + 1));
    }

    public BoundedLookup lookup() {
        return lookup;
    }
}
