package org.rcptguard.core.directory;

import java.util.Locale;
import java.util.Map;

import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;

/**
 * The recipient directory of the whole MX: each domain named in {@code directory.domains} is looked up in its own
 * chain of sources through a {@link BoundedLookup} (timeout, bounded concurrency); every
 * other domain is left to the hosted directory (James's users, aliases and domains), answered in memory.
 */
public final class DomainDirectory implements RecipientDirectory {
    private final RecipientDirectory hosted;
    private final Map<String, ? extends RecipientSource> chains;
    private final BoundedLookup lookup;

    public DomainDirectory(RecipientDirectory hosted, Map<String, ? extends RecipientSource> chains, BoundedLookup lookup) {
        this.hosted = hosted;
        this.chains = Map.copyOf(chains);
        this.lookup = lookup;
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

    /** What {@link #classify} would answer, with the source that decided (timeout and bound as on the RCPT path). */
    @Override
    public DirectoryAnswer explain(String address) throws Exception {
        String lowerCase = address.toLowerCase(Locale.ROOT);
        RecipientSource chain = chainOf(lowerCase);
        if (chain == null) {
            return hosted.explain(address);
        }
        return lookup.explain(chain, lowerCase);
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
