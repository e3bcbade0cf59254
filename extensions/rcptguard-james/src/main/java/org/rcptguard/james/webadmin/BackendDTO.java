package org.rcptguard.james.webadmin;

import java.time.Instant;
import java.util.Optional;

import org.rcptguard.james.inline.InlineBackend;

/**
 * A backend delivered to in-line: its name, its relays in flight, when it was last relayed to, and why that relay
 * could not reach it or lost it ({@code state} {@code down}); {@code up} after an answer, {@code unknown} before any.
 */
public class BackendDTO {
    private final String backend;
    private final String state;
    private final int sessions;
    private final Optional<Instant> lastRelay;
    private final Optional<String> failure;

    BackendDTO(InlineBackend inline) {
        this.backend = inline.name();
        this.failure = inline.failure();
        this.lastRelay = inline.lastRelay();
        this.state = lastRelay.isEmpty() ? "unknown" : failure.isPresent() ? "down" : "up";
        this.sessions = inline.sessionsInFlight();
    }

    public String getBackend() {
        return backend;
    }

    public String getState() {
        return state;
    }

    public int getSessions() {
        return sessions;
    }

    public Optional<Instant> getLastRelay() {
        return lastRelay;
    }

    public Optional<String> getFailure() {
        return failure;
    }
}
