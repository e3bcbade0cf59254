package org.rcptguard.core.content;

/**
 * A recipient's content policy. One transaction holds recipients of one profile only, so that the one reply after
 * DATA is true for each of them: an opted-out {@code abuse@} must get the spam a normal mailbox refuses.
 */
public enum ContentProfile {
    /** Scanned; the scanners' actions apply. */
    NORMAL,
    /** Not scanned at all (e.g. {@code abuse@}, {@code postmaster@}, a domain that filters its own mail). */
    OPT_OUT,
    /** Scanned; a spam score at or above the strict threshold is rejected, whatever action rspamd chose. */
    STRICT
}
