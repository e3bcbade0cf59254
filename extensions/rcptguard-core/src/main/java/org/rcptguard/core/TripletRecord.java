package org.rcptguard.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What the greylist remembers of a triplet: when it was first seen, when it passed (if it did), when it was last used. */
public final class TripletRecord {
    private final Instant firstSeen;
    private final Instant passedAt;
    private final Instant lastSeen;

    public TripletRecord(Instant firstSeen, Optional<Instant> passedAt, Instant lastSeen) {
        this.firstSeen = Objects.requireNonNull(firstSeen);
        this.passedAt = passedAt.orElse(null);
        this.lastSeen = Objects.requireNonNull(lastSeen);
    }

    public static TripletRecord firstSeen(Instant now) {
        return new TripletRecord(now, Optional.empty(), now);
    }

    public TripletRecord passed(Instant now) {
        return new TripletRecord(firstSeen, Optional.of(passedAt == null ? now : passedAt), now);
    }

    public Instant firstSeen() {
        return firstSeen;
    }

    public Optional<Instant> passedAt() {
        return Optional.ofNullable(passedAt);
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    public boolean isPassed() {
        return passedAt != null;
    }

    /** When a retry of this triplet first passes: {@code delay} after it was first seen. */
    public Instant passesFrom(Duration delay) {
        return firstSeen.plus(delay);
    }

    /** When the greylist forgets it: at the end of its retry window, or once passed {@code lifetime} after its last use. */
    public Instant expiresAt(Duration retryWindow, Duration lifetime) {
        return isPassed() ? lastSeen.plus(lifetime) : firstSeen.plus(retryWindow);
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof TripletRecord) {
            TripletRecord other = (TripletRecord) o;
            return firstSeen.equals(other.firstSeen) && Objects.equals(passedAt, other.passedAt) && lastSeen.equals(other.lastSeen);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(firstSeen, passedAt, lastSeen);
    }

    @Override
    public String toString() {
        return "TripletRecord{firstSeen=" + firstSeen + ", passedAt=" + passedAt + ", lastSeen=" + lastSeen + "}";
    }
}
