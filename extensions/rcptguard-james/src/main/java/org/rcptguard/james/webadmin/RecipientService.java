package org.rcptguard.james.webadmin;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.directory.VerificationCache;
import org.rcptguard.james.directory.DirectoryStatus;

/**
 * Recipients as the directory sees them: looked up as at RCPT (same sources, timeout and bound; no reply floor), and
 * their SMTP verification answers forgotten.
 */
public class RecipientService {
    private final RecipientDirectory directory;
    private final DirectoryStatus directoryStatus;

    @Inject
    public RecipientService(RecipientDirectory directory, DirectoryStatus directoryStatus) {
        this.directory = directory;
        this.directoryStatus = directoryStatus;
    }

    /** What the directory answers for {@code address}; a failure of the look-up is an UNDECIDED answer saying so. */
    public RecipientDTO lookUp(MailAddress address) {
        String key = key(address);
        try {
            if (!directory.governs(address.getDomain())) {
                return RecipientDTO.notGoverned(key);
            }
            return RecipientDTO.answered(key, directory.lookUp(address));
        } catch (Exception e) {
            return RecipientDTO.failed(key, e);
        }
    }

    /** Drops the SMTP verification answer kept for {@code address}; false when none is kept. */
    public boolean forgetVerification(MailAddress address) {
        String key = key(address);
        Optional<VerificationCache> cache = directoryStatus.verificationCache();
        if (cache.isEmpty() || cache.get().find(key).isEmpty()) {
            return false;
        }
        cache.get().forget(key);
        return true;
    }

    private static String key(MailAddress address) {
        return Addresses.key(address);
    }
}
