package org.rcptguard.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's word on one domain's harvest state, shared by every node through the {@link DomainProbeStore}: the
 * domain is under harvest ({@link Kind#START}) or not assessed ({@link Kind#END}) from {@code since} until
 * {@code until}, whatever its tallies. One override per domain: the latest replaces the one before.
 */
public final class HarvestOverride {
    /** What the operator asked. */
    public enum Kind {
        START,
        END
    }

    private final String domain;
    private final Kind kind;
    private final Instant since;
    private final Instant until;

    public HarvestOverride(String domain, Kind kind, Instant since, Instant until) {
        this.domain = Objects.requireNonNull(domain);
        this.kind = Objects.requireNonNull(kind);
        this.since = Objects.requireNonNull(since);
        this.until = Objects.requireNonNull(until);
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("an override ends after it starts: " + since + ", " + until);
        }
    }

    public String domain() {
        return domain;
    }

    public Kind kind() {
        return kind;
    }

    public Instant since() {
        return since;
    }

    public Instant until() {
        return until;
    }

    public boolean isInForce(Instant now) {
        return now.isBefore(until);
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof HarvestOverride) {
            HarvestOverride other = (HarvestOverride) o;
            return domain.equals(other.domain) && kind == other.kind && since.equals(other.since) && until.equals(other.until);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, kind, since, until);
    }

    @Override
    public String toString() {
        return "HarvestOverride{" + domain + ", " + kind + ", since=" + since + ", until=" + until + "}";
    }
}
