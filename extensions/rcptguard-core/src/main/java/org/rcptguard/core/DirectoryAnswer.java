package org.rcptguard.core;

import java.util.Objects;

/**
 * What a directory answered about one recipient, and why: its class, which source answered ({@code james},
 * {@code list}, {@code ldap}, {@code smtp}), whether the answer came from the verification cache, and the reason
 * ({@code listed}, {@code not listed}, {@code backend accepted}, {@code backend refused}, {@code catch-all backend},
 * {@code timeout}, ...): what {@link RecipientDirectory#lookUp} answers, on the RCPT path and to operators alike.
 */
public final class DirectoryAnswer {
    private final RecipientClass recipientClass;
    private final String source;
    private final boolean cached;
    private final String reason;

    public DirectoryAnswer(RecipientClass recipientClass, String source, boolean cached, String reason) {
        this.recipientClass = Objects.requireNonNull(recipientClass);
        this.source = source;
        this.cached = cached;
        this.reason = Objects.requireNonNull(reason);
    }

    /** An UNDECIDED answer: no source could tell, for {@code reason} ({@code timeout}, {@code failed: ...}). */
    public static DirectoryAnswer undecided(String source, String reason) {
        return new DirectoryAnswer(RecipientClass.UNDECIDED, source, false, reason);
    }

    /** INVALID without asking a source: no mailbox can have the address ({@link Addresses#noMailboxCanHave}). */
    public static DirectoryAnswer noMailbox(String source) {
        return new DirectoryAnswer(RecipientClass.INVALID, source, false, "longer than any address");
    }

    public DirectoryAnswer withSource(String newSource) {
        return new DirectoryAnswer(recipientClass, newSource, cached, reason);
    }

    public RecipientClass recipientClass() {
        return recipientClass;
    }

    /** The source that answered ({@code james}, {@code list}, {@code ldap}, {@code smtp}); null when none did. */
    public String source() {
        return source;
    }

    public boolean cached() {
        return cached;
    }

    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof DirectoryAnswer)) {
            return false;
        }
        DirectoryAnswer that = (DirectoryAnswer) other;
        return recipientClass == that.recipientClass && Objects.equals(source, that.source) && cached == that.cached
            && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(recipientClass, source, cached, reason);
    }

    @Override
    public String toString() {
        return recipientClass + " from " + source + (cached ? " (cached)" : "") + ": " + reason;
    }
}
