package org.rcptguard.core.directory;

import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;

/**
 * The directory of a domain delivered in-line, corrected by its backend: a recipient the backend refused as unknown
 * at delivery is recorded INVALID in the verification cache (shared by the cluster) and is INVALID here until that
 * answer expires, whatever the domain's sources still say. So a stale directory costs one 451, not a bounce.
 */
public final class DeliveryRefusals implements RecipientDirectory {
    private final RecipientDirectory sources;
    private final VerificationCache cache;

    public DeliveryRefusals(RecipientDirectory sources, VerificationCache cache) {
        this.sources = sources;
        this.cache = cache;
    }

    @Override
    public DirectoryAnswer lookUp(MailAddress address) throws Exception {
        Optional<RecipientClass> recorded = cache.find(Addresses.key(address));
        if (recorded.isPresent() && recorded.get() == RecipientClass.INVALID) {
            return new DirectoryAnswer(RecipientClass.INVALID, "backend", true, "backend refused");
        }
        return sources.lookUp(address);
    }
}
