package org.rcptguard.core;

/** Knows the valid recipients of the domains RcptGuard governs. Implementations may throw: any failure means UNDECIDED. */
public interface RecipientDirectory {
    /** Whether recipients of {@code domain} are RcptGuard's to decide (a domain hosted or relayed here). */
    boolean governs(String domain) throws Exception;

    /** VALID, INVALID, or UNDECIDED when the directory cannot tell. */
    RecipientClass classify(String address) throws Exception;

    /**
     * The class of {@code address} as {@link #classify} would give it, with the source that answered and why; for
     * operators (WebAdmin), never called on the RCPT path. May consult the sources again (and fill their caches).
     */
    default DirectoryAnswer explain(String address) throws Exception {
        return DirectoryAnswer.plain(classify(address), "directory");
    }
}
