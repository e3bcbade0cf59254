package org.rcptguard.core.directory;

import java.util.Map;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientDirectory;

/**
 * The recipient directory of the whole MX: each domain named in {@code directory.domains} is looked up in its own
 * chain of sources through a {@link BoundedLookup} (timeout, bounded concurrency); every other domain is left to the
 * hosted directory (James's users, aliases and domains), answered in memory. An address no mailbox can have
 * ({@link Addresses#noMailboxCanHave}) is unknown without asking a source.
 */
public final class DomainDirectory implements RecipientDirectory {
    private final RecipientDirectory hosted;
    private final Map<Domain, ? extends RecipientDirectory> chains;
    private final BoundedLookup lookup;

    public DomainDirectory(RecipientDirectory hosted, Map<Domain, ? extends RecipientDirectory> chains, BoundedLookup lookup) {
        this.hosted = hosted;
        this.chains = Map.copyOf(chains);
        this.lookup = lookup;
    }

    @Override
    public boolean governs(Domain domain) throws Exception {
        return chains.containsKey(domain) || hosted.governs(domain);
    }

    /** On the RCPT path and to operators alike: the timeout and the bound apply. */
    @Override
    public DirectoryAnswer lookUp(MailAddress address) throws Exception {
        RecipientDirectory chain = chains.get(address.getDomain());
        if (chain == null) {
            return hosted.lookUp(address);
        }
        if (Addresses.noMailboxCanHave(address)) {
            return DirectoryAnswer.noMailbox(null);
        }
        return lookup.lookUp(chain, address);
    }

    public BoundedLookup lookup() {
        return lookup;
    }
}
