package org.rcptguard.core.postgrey;

import java.util.Objects;

/** A line of a postgrey whitelist file that was left out, with why. Immutable. */
public final class MalformedLine {
    private final String source;
    private final int number;
    private final String text;
    private final String reason;

    MalformedLine(String source, int number, String text, String reason) {
        this.source = source;
        this.number = number;
        this.text = text;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    /** The line's number, the first line being 1. */
    public int number() {
        return number;
    }

    public String text() {
        return text;
    }

    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof MalformedLine) {
            MalformedLine other = (MalformedLine) o;
            return number == other.number && source.equals(other.source) && text.equals(other.text) && reason.equals(other.reason);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, number, text, reason);
    }

    @Override
    public String toString() {
        return source + " line " + number + ": " + reason + ": '" + text + "'";
    }
}
