package org.rcptguard.core.content;

/** What a scanner's failure (down, timeout, unreadable answer) does to the message: a 451, or a 250 nobody judged. */
public enum OnFailure {
    DEFER, ACCEPT
}
