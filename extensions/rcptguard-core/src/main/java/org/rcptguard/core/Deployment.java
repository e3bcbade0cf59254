package org.rcptguard.core;

import org.apache.james.core.Domain;

/** What the policy must know of the James it decides for, to decide everything the client hears. */
public interface Deployment {
    /** James hosts every governed domain and the DATA-stage hook is loaded. */
    Deployment HOSTED = new Deployment() {
        @Override
        public boolean relays(Domain domain) {
            return false;
        }

        @Override
        public boolean rejectsAfterData() {
            return true;
        }
    };

    /**
     * Whether James relays this governed domain rather than hosting it: James's relay check refuses its recipients to
     * an unauthenticated client, so RcptGuard itself accepts those it lets through and is the domain's recipient check.
     */
    boolean relays(Domain domain);

    /** Whether the DATA-stage hook is loaded: reject mode {@code data} accepts unknown recipients only with it. */
    boolean rejectsAfterData();
}
