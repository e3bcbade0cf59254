package org.rcptguard.core;

import java.time.Instant;
import java.util.Objects;

/** A client network's scan level: while {@code until} is in the future every RCPT from it is deferred. */
public final class Penalty {
    private final int level;
    private final Instant until;

    public Penalty(int level, Instant until) {
        if (level < 1) {
            throw new IllegalArgumentException("penalty level starts at 1, got " + level);
        }
        this.level = level;
        this.until = Objects.requireNonNull(until);
    }

    public int level() {
        return level;
    }

    public Instant until() {
        return until;
    }

    public boolean isActiveAt(Instant now) {
        return now.isBefore(until);
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof Penalty) {
            Penalty other = (Penalty) o;
            return level == other.level && until.equals(other.until);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, until);
    }

    @Override
    public String toString() {
        return "Penalty{level=" + level + ", until=" + until + "}";
    }
}
