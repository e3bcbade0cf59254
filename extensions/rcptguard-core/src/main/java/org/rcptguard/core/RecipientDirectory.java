package org.rcptguard.core;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;

/**
 * Knows valid recipients: one look-up, one answer. The whole directory of the MX (James's own, or a chain of sources
 * per domain) and each source in a chain (a static list, LDAP, an SMTP backend, James) are this one interface; a
 * source implements {@link #lookUp} only.
 */
@FunctionalInterface
public interface RecipientDirectory {
    /**
     * VALID, INVALID or UNDECIDED (cannot tell), with the source that answered, whether from a cache, and why. The
     * RCPT path and WebAdmin ask the same. May throw: a failure to look up is UNDECIDED.
     */
    DirectoryAnswer lookUp(MailAddress recipient) throws Exception;

    /** The class of {@link #lookUp}'s answer. */
    default RecipientClass classify(MailAddress recipient) throws Exception {
        return lookUp(recipient).recipientClass();
    }

    /**
     * Whether recipients of {@code domain} are RcptGuard's to decide (a domain hosted or relayed here). Only the
     * directory of the MX knows; a source of a chain governs nothing by itself.
     */
    default boolean governs(Domain domain) throws Exception {
        return false;
    }

}
