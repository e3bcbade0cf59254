package org.rcptguard.james.inline;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import org.rcptguard.core.RcptGuardSettings.HostPort;

/**
 * A backend that receives messages in-line: its address, the bound on sessions to it at once, and what the last
 * relay found (for the health check and WebAdmin).
 */
public final class InlineBackend {
    private final HostPort address;
    private final int maxSessions;
    private final Semaphore sessions;
    private volatile Optional<String> failure = Optional.empty();
    private volatile Optional<Instant> lastRelay = Optional.empty();

    InlineBackend(HostPort address, int maxSessions) {
        this.address = address;
        this.maxSessions = maxSessions;
        this.sessions = new Semaphore(maxSessions);
    }

    public HostPort address() {
        return address;
    }

    /** {@code host:port}, the route name of its recipients. */
    public String name() {
        return address.host() + ":" + address.port();
    }

    boolean tryOpenSession() {
        return sessions.tryAcquire();
    }

    void closeSession() {
        sessions.release();
    }

    public int sessionsInFlight() {
        return maxSessions - sessions.availablePermits();
    }

    void record(RelayOutcome outcome, Instant now) {
        lastRelay = Optional.of(now);
        failure = outcome.kind() == RelayOutcome.Kind.UNREACHABLE || outcome.kind() == RelayOutcome.Kind.LOST
            ? Optional.of(outcome.detail()) : Optional.empty();
    }

    /** Why the last relay could not reach the backend or lost it; empty if it got an answer (or none was tried). */
    public Optional<String> failure() {
        return failure;
    }

    public Optional<Instant> lastRelay() {
        return lastRelay;
    }
}
