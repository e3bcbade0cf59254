package org.rcptguard.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.TripletStore;

/**
 * The triplet rule. A triplet passes when it is retried at least {@code delay} after it was first seen and within
 * the retry window; a retry after the window starts over. A passed triplet stays passed for {@code lifetime} since
 * its last use; its last use is written at most once per {@code lifetime / 36} (a day for the default 36 days), so
 * that steady traffic costs reads only. A triplet passing for the first time counts towards its client network's
 * auto-whitelist, and towards its proven identity's when the client proved one.
 */
public final class Greylist {
    private final TripletStore triplets;
    private final ClientNetworkStore clientNetworks;
    private final Clock clock;
    private final Duration delay;
    private final Duration retryWindow;
    private final Duration lifetime;
    private final Duration lastUseRefresh;

    public Greylist(TripletStore triplets, ClientNetworkStore clientNetworks, Clock clock, RcptGuardConfiguration configuration) {
        this.triplets = triplets;
        this.clientNetworks = clientNetworks;
        this.clock = clock;
        this.delay = configuration.delay();
        this.retryWindow = configuration.retryWindow();
        this.lifetime = configuration.lifetime();
        this.lastUseRefresh = lifetime.dividedBy(36);
    }

    /** Starts reading what the greylist knows of {@code triplet}, for {@link #attempt(Triplet, Optional, boolean)}. */
    public CompletableFuture<Optional<TripletRecord>> lookUp(Triplet triplet) {
        return triplets.findAsync(triplet);
    }

    /**
     * Whether an attempt now would pass, from the greylist's record alone: a triplet that will not pass needs no
     * look-up of its recipient to be answered.
     */
    public boolean passesNow(Optional<TripletRecord> known) {
        return passesNow(known, delay);
    }

    /** As {@link #passesNow(Optional)} with a first-contact delay of {@code delay} (a harvest lengthens it). */
    public boolean passesNow(Optional<TripletRecord> known, Duration delay) {
        Instant now = clock.instant();
        if (known.isEmpty()) {
            return false;
        }
        TripletRecord record = known.get();
        return record.isPassed()
            || !now.isAfter(record.firstSeen().plus(retryWindow)) && !now.isBefore(record.firstSeen().plus(delay));
    }

    /** Records this attempt of a network's triplet and tells whether it has passed; a pass counts for the network's reputation. */
    public boolean attempt(Triplet triplet) {
        return attempt(triplet, lookUp(triplet).join(), triplet.client().network().orElseThrow(), true);
    }

    /**
     * Records this attempt, given the greylist's record as looked up, and tells whether the triplet has passed.
     *
     * @param clientNetwork the network the attempt came from, whose reputation a pass counts for
     * @param reputable whether a pass counts towards the network's auto-whitelisting: only for a valid recipient, or
     *                  a scanner would earn it by retrying its guesses
     */
    public boolean attempt(Triplet triplet, Optional<TripletRecord> known, ClientNetwork clientNetwork, boolean reputable) {
        return attempt(triplet, known, clientNetwork, reputable, delay);
    }

    /** As {@link #attempt(Triplet, Optional, ClientNetwork, boolean)} with a first-contact delay of {@code delay}. */
    public boolean attempt(Triplet triplet, Optional<TripletRecord> known, ClientNetwork clientNetwork, boolean reputable,
                           Duration delay) {
        Instant now = clock.instant();
        if (known.isPresent() && known.get().isPassed()) {
            if (!now.isBefore(known.get().lastSeen().plus(lastUseRefresh))) {
                triplets.save(triplet, known.get().passed(now), lifetime);
            }
            return true;
        }
        if (known.isEmpty() || now.isAfter(known.get().expiresAt(retryWindow, lifetime))) {
            triplets.save(triplet, TripletRecord.firstSeen(now), retryWindow);
            return false;
        }
        if (now.isBefore(known.get().passesFrom(delay))) {
            // An early retry does not move firstSeen, or an impatient client would never pass.
            return false;
        }
        triplets.save(triplet, known.get().passed(now), lifetime);
        if (reputable) {
            clientNetworks.recordPassedTriplet(clientNetwork, triplet, lifetime);
            if (triplet.client().isProven()) {
                // A big sender's reputation follows it over its pool's networks.
                clientNetworks.recordPassedTriplet(ClientNetwork.provenBy(triplet.client()), triplet, lifetime);
            }
        }
        return true;
    }
}
