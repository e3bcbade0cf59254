package org.rcptguard.james.webadmin;

import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;

/** A triplet as WebAdmin shows it: its key, when it was seen and passed, when it can pass and when it is forgotten. */
public class TripletDTO {
    private final String network;
    private final String identity;
    private final String sender;
    private final String recipient;
    private final Instant firstSeen;
    private final boolean passed;
    private final Optional<Instant> passedAt;
    private final Instant lastSeen;
    private final Optional<Instant> passesFrom;
    private final Instant expires;

    TripletDTO(Triplet triplet, TripletRecord record, RcptGuardConfiguration configuration) {
        this.network = triplet.client().network().map(Object::toString).orElse(null);
        this.identity = triplet.client().key();
        this.sender = triplet.sender();
        this.recipient = triplet.recipient();
        this.firstSeen = record.firstSeen();
        this.passed = record.isPassed();
        this.passedAt = record.passedAt();
        this.lastSeen = record.lastSeen();
        this.passesFrom = record.isPassed() ? Optional.empty() : Optional.of(record.passesFrom(configuration.delay()));
        this.expires = record.expiresAt(configuration.retryWindow(), configuration.lifetime());
    }

    public String getNetwork() {
        return network;
    }

    /** {@code spf:example.com}, {@code ptr:example.com} or {@code net:192.0.2.0/24}: what the triplet is keyed by. */
    public String getIdentity() {
        return identity;
    }

    public String getSender() {
        return sender;
    }

    public String getRecipient() {
        return recipient;
    }

    public Instant getFirstSeen() {
        return firstSeen;
    }

    public boolean isPassed() {
        return passed;
    }

    public Optional<Instant> getPassedAt() {
        return passedAt;
    }

    public Instant getLastSeen() {
        return lastSeen;
    }

    /** When a retry passes; null once passed. */
    public Optional<Instant> getPassesFrom() {
        return passesFrom;
    }

    public Instant getExpires() {
        return expires;
    }
}
