package org.rcptguard.core.content;

import java.util.Locale;

/** What a scanner asks for a message, in rspamd's words; ClamAV's {@code FOUND} is a {@link #REJECT}. */
public enum Action {
    NO_ACTION, ADD_HEADER, REWRITE_SUBJECT, GREYLIST, SOFT_REJECT, REJECT;

    /** The metric and log name: rspamd's action with '-' for ' ' (e.g. {@code soft-reject}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
