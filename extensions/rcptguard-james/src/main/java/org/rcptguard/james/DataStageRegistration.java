package org.rcptguard.james;

import java.util.concurrent.atomic.AtomicBoolean;

import javax.inject.Singleton;

/**
 * Whether the DATA-stage hook is loaded. Reject mode {@code data} accepts unknown recipients at RCPT and relies on
 * that hook to reject the transaction; without it they would be delivered or bounced, so RCPT defers instead.
 */
@Singleton
public class DataStageRegistration {
    private final AtomicBoolean registered = new AtomicBoolean();

    void register() {
        registered.set(true);
    }

    boolean isRegistered() {
        return registered.get();
    }
}
