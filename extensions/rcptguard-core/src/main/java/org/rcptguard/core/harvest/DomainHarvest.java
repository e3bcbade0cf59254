package org.rcptguard.core.harvest;

import java.time.Instant;
import java.util.Objects;

import org.rcptguard.core.store.ProbeTally;

/**
 * A governed domain under harvest: the tally that last kept it there, since when, and until when it lasts at most
 * without a refresh that confirms it (so that a node that can no longer read the store ends it by itself).
 */
public final class DomainHarvest {
    private final String domain;
    private final ProbeTally tally;
    private final Instant since;
    private final Instant until;

    public DomainHarvest(String domain, ProbeTally tally, Instant since, Instant until) {
        this.domain = Objects.requireNonNull(domain);
        this.tally = Objects.requireNonNull(tally);
        this.since = Objects.requireNonNull(since);
        this.until = Objects.requireNonNull(until);
    }

    public String domain() {
        return domain;
    }

    public ProbeTally tally() {
        return tally;
    }

    public Instant since() {
        return since;
    }

    public Instant until() {
        return until;
    }

    public boolean isOn(Instant now) {
        return now.isBefore(until);
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof DomainHarvest) {
            DomainHarvest other = (DomainHarvest) o;
            return domain.equals(other.domain) && tally.equals(other.tally) && since.equals(other.since) && until.equals(other.until);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, tally, since, until);
    }

    @Override
    public String toString() {
        return "DomainHarvest{" + domain + ", " + tally + ", since=" + since + ", until=" + until + "}";
    }
}
