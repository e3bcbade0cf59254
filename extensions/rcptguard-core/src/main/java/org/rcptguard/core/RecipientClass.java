package org.rcptguard.core;

/** What the directory knows about a recipient. */
public enum RecipientClass {
    VALID,
    INVALID,
    /** The directory could not answer (failure, timeout): never a 5xx, never a 250. */
    UNDECIDED
}
