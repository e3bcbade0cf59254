package org.rcptguard.james.webadmin;

import java.time.Duration;
import java.time.Instant;

import org.rcptguard.core.Penalty;

/** A running penalty: its level, its end, and the seconds left at the time of the request. */
public class PenaltyDTO {
    private final int level;
    private final Instant until;
    private final long remainingSeconds;

    PenaltyDTO(Penalty penalty, Instant now) {
        this.level = penalty.level();
        this.until = penalty.until();
        this.remainingSeconds = Duration.between(now, penalty.until()).toSeconds();
    }

    public int getLevel() {
        return level;
    }

    public Instant getUntil() {
        return until;
    }

    public long getRemainingSeconds() {
        return remainingSeconds;
    }
}
