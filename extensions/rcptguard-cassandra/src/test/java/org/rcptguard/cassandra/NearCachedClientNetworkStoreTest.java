package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.memory.MemoryClientNetworkStore;
import org.rcptguard.core.store.ClientNetworkStore;

/**
 * How long this node serves a network's state (docs/design.md, "State"): {@link NearCaches#REPUTATION} while the
 * penalty changes are current and announce nothing of that network, {@link NearCaches#PENALTIES} otherwise. The
 * store is the memory one, counted; the announcements a list this test fills (the Cassandra table is
 * {@code PenaltyChangesCassandraTest}'s); time is moved by hand, the changes read when the test says.
 */
class NearCachedClientNetworkStoreTest {
    static final ClientNetwork NETWORK = ClientNetwork.parse("192.0.2.0/24");
    static final ClientNetwork OTHER = ClientNetwork.parse("198.51.100.0/24");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    final CountedStore store = new CountedStore(new MemoryClientNetworkStore(clock, 1_000, 5));
    final List<String> announced = new ArrayList<>();
    final AtomicInteger feedFailures = new AtomicInteger();
    final PenaltyChanges changes = new PenaltyChanges(this::readAnnouncements, clock, () -> clock.millis() * 1_000_000L);
    final NearCachedClientNetworkStore near = new NearCachedClientNetworkStore(store, clock, new NearCaches(clock), changes);

    @AfterEach
    void close() throws InterruptedException {
        near.close();
    }

    private void readAnnouncements(Instant minute, Instant since, Consumer<String> networks) {
        if (feedFailures.get() > 0) {
            feedFailures.decrementAndGet();
            throw new IllegalStateException("Cassandra timeout (test)");
        }
        announced.forEach(networks);
        announced.clear();
    }

    /** Time passes by {@link PenaltyChanges#READ_EVERY}, the changes read at each step, for {@code duration}. */
    private void passReadingChanges(Duration duration) {
        Duration step = PenaltyChanges.READ_EVERY;
        for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plus(step)) {
            clock.advance(step);
            changes.read();
        }
    }

    @Test
    void aStateIsServedForTheReputationBoundWhileTheChangesAreCurrentAndSayNothingOfItsNetwork() {
        changes.read();
        near.load(NETWORK);
        announced.add(OTHER.asString());
        passReadingChanges(NearCaches.REFRESH_AHEAD);
        assertThat(near.load(NETWORK)).isEqualTo(ClientNetworkState.UNKNOWN);
        assertThat(store.loads).as("one read in %s", NearCaches.REFRESH_AHEAD).hasValue(1);

        // not used since: not read ahead, read again at the first load after its bound
        passReadingChanges(NearCaches.REPUTATION.minus(NearCaches.REFRESH_AHEAD).plus(PenaltyChanges.READ_EVERY));
        near.load(NETWORK);
        assertThat(store.loads).as("read again after %s", NearCaches.REPUTATION).hasValue(2);
        assertThat(store.asyncLoads).hasValue(0);
    }

    @Test
    void aChangeAnnouncedForItsNetworkHasItReadAgainAtTheNextLoad() {
        changes.read();
        near.load(NETWORK);
        passReadingChanges(Duration.ofSeconds(2));
        Penalty penalty = new Penalty(1, clock.instant().plusSeconds(60));
        // another node's imposition: written to the store, then announced
        store.penalise(NETWORK, penalty);
        announced.add(NETWORK.asString());
        assertThat(near.load(NETWORK).penalty()).as("not heard of yet").isEmpty();

        passReadingChanges(PenaltyChanges.READ_EVERY);
        assertThat(near.load(NETWORK).penalty()).contains(penalty);
        assertThat(store.loads).hasValue(2);
    }

    @Test
    void aChangeHeardOfDropsTheStateAtOnceEvenWithinThePenaltiesBound() {
        changes.read();
        near.load(NETWORK);
        clock.advance(Duration.ofMillis(100));
        Penalty penalty = new Penalty(1, clock.instant().plusSeconds(60));
        store.penalise(NETWORK, penalty);
        announced.add(NETWORK.asString());
        changes.read();
        clock.advance(Duration.ofMillis(1));
        assertThat(near.load(NETWORK).penalty()).as("a state read 101 ms before").contains(penalty);
        assertThat(store.loads).hasValue(2);

        passReadingChanges(Duration.ofSeconds(2));
        near.load(NETWORK);
        assertThat(store.loads).as("read after the change was heard of: served long again").hasValue(2);
    }

    @Test
    void whileTheChangesCannotBeReadAStateIsServedForThePenaltiesBoundOnly() {
        changes.read();
        near.load(NETWORK);
        feedFailures.set(100);
        clock.advance(NearCaches.PENALTIES);
        changes.read();
        assertThat(changes.current()).as("last read %s ago", NearCaches.PENALTIES).isFalse();
        near.load(NETWORK);
        assertThat(store.loads).as("served %s", NearCaches.PENALTIES).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        near.load(NETWORK);
        assertThat(store.loads).hasValue(2);

        feedFailures.set(0);
        changes.read();
        clock.advance(NearCaches.PENALTIES.multipliedBy(3));
        changes.read();
        near.load(NETWORK);
        assertThat(store.loads).as("read since the changes are read again: served long").hasValue(2);
    }

    @Test
    void beforeTheChangesAreFirstReadAStateIsServedForThePenaltiesBoundOnly() {
        near.load(NETWORK);
        clock.advance(NearCaches.PENALTIES.plusMillis(1));
        near.load(NETWORK);
        assertThat(store.loads).hasValue(2);
    }

    @Test
    void theChangesAreCurrentForTheirFreshnessAfterTheirLastReadStarted() {
        assertThat(changes.current()).as("never read").isFalse();
        changes.read();
        clock.advance(PenaltyChanges.FRESHNESS);
        assertThat(changes.current()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(changes.current()).isFalse();
    }

    @Test
    void aNetworkHeardOfIsForgottenOnceNoStateReadBeforeCouldBeServed() {
        announced.add(NETWORK.asString());
        changes.read();
        assertThat(changes.remembered()).isEqualTo(1);
        passReadingChanges(PenaltyChanges.LOOK_BACK.plus(PenaltyChanges.READ_EVERY));
        assertThat(changes.remembered()).isZero();
    }

    @Test
    void aPenaltyImposedHereIsServedAtOnceAndAStaleStateIsNotTakenForARunningPenalty() {
        changes.read();
        near.load(NETWORK);
        Penalty first = new Penalty(1, clock.instant().plusSeconds(60));
        near.penalise(NETWORK, first);
        assertThat(near.load(NETWORK).penalty()).contains(first);
        assertThat(store.loads).hasValue(1);

        // the state is past its bound (the changes not read): a higher level is imposed, not held back as a raise
        clock.advance(NearCaches.PENALTIES.plusMillis(1));
        Penalty second = new Penalty(2, clock.instant().plusSeconds(120));
        near.penalise(NETWORK, second);
        assertThat(store.load(NETWORK).penalty()).as("written at once").contains(second);
    }

    @Test
    void aNetworkReadAgainAfterItsOwnAnnouncementKeepsTheRaiseThisNodeHasNotWrittenYet() {
        changes.read();
        near.load(NETWORK);
        near.penalise(NETWORK, new Penalty(1, clock.instant().plusSeconds(60)));
        Penalty raised = new Penalty(2, clock.instant().plusSeconds(120));
        near.penalise(NETWORK, raised); // held: raises are written once a second
        clock.advance(Duration.ofMillis(1));
        announced.add(NETWORK.asString()); // the imposition's announcement, heard back here
        changes.read();
        clock.advance(Duration.ofMillis(1));

        assertThat(near.load(NETWORK).penalty()).contains(raised);
        assertThat(store.loads).as("read again").hasValue(2);
    }

    @Test
    void aPassedTripletRecordedHereIsCountedAtOnce() {
        changes.read();
        near.load(NETWORK);
        near.recordPassedTriplet(NETWORK, new Triplet(NETWORK, "bob@example.net", "alice@example.com"), Duration.ofDays(1));
        assertThat(near.load(NETWORK).passedTriplets()).isEqualTo(1);
    }

    @Test
    void anAsynchronousLoadIsServedAndCachedAlike() {
        changes.read();
        assertThat(near.loadAsync(NETWORK).join()).isEqualTo(ClientNetworkState.UNKNOWN);
        passReadingChanges(Duration.ofSeconds(5));
        assertThat(near.loadAsync(NETWORK).join()).isEqualTo(ClientNetworkState.UNKNOWN);
        assertThat(store.asyncLoads).hasValue(1);
        assertThat(store.loads).hasValue(0);
    }

    @Test
    void aNetworkInUseIsReadAgainInTheBackgroundBeforeItsBoundSoNoLoadWaits() {
        changes.read();
        near.load(NETWORK);
        store.penalise(NETWORK, new Penalty(1, clock.instant().plusSeconds(600))); // written elsewhere, not announced
        passReadingChanges(NearCaches.REFRESH_AHEAD);
        assertThat(near.load(NETWORK).penalty()).as("at the read-ahead age: the state held").isEmpty();
        assertThat(store.asyncLoads).hasValue(0);

        passReadingChanges(PenaltyChanges.READ_EVERY);
        assertThat(near.load(NETWORK).penalty()).as("served while read ahead").isEmpty();
        assertThat(near.load(NETWORK).penalty()).as("the state read ahead").isPresent();
        assertThat(store.asyncLoads).as("one read ahead").hasValue(1);

        passReadingChanges(NearCaches.REFRESH_AHEAD.plus(PenaltyChanges.READ_EVERY));
        near.load(NETWORK);
        near.load(NETWORK);
        assertThat(store.asyncLoads).hasValue(2);
        assertThat(store.loads).as("no load waited for a read but the first").hasValue(1);
    }

    @Test
    void aReadAheadThatFailsLeavesTheStateServedAndIsTriedAgainAtTheNextLoad() {
        changes.read();
        near.load(NETWORK);
        store.failAsync = true;
        passReadingChanges(NearCaches.REFRESH_AHEAD.plus(PenaltyChanges.READ_EVERY));
        near.load(NETWORK);
        near.load(NETWORK);
        assertThat(store.asyncLoads).hasValue(2);
        assertThat(store.loads).hasValue(1);

        passReadingChanges(NearCaches.REPUTATION.minus(NearCaches.REFRESH_AHEAD));
        near.load(NETWORK);
        assertThat(store.loads).as("past the bound: a read waited for").hasValue(2);
    }

    @Test
    void aReadAheadDoesNotUndoAPenaltyImposedHereMeanwhile() {
        changes.read();
        near.load(NETWORK);
        store.holdAsync = true;
        passReadingChanges(NearCaches.REFRESH_AHEAD.plus(PenaltyChanges.READ_EVERY));
        near.load(NETWORK); // starts the read ahead, held
        Penalty penalty = new Penalty(1, clock.instant().plusSeconds(600));
        near.penalise(NETWORK, penalty);
        store.held.run(); // answers with the state read before the penalty

        assertThat(near.load(NETWORK).penalty()).contains(penalty);
    }

    /** The memory store, its reads counted. */
    static final class CountedStore implements ClientNetworkStore {
        final ClientNetworkStore store;
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger asyncLoads = new AtomicInteger();
        volatile boolean failAsync;
        volatile boolean holdAsync;
        volatile Runnable held;

        CountedStore(ClientNetworkStore store) {
            this.store = store;
        }

        @Override
        public ClientNetworkState load(ClientNetwork clientNetwork) {
            loads.incrementAndGet();
            return store.load(clientNetwork);
        }

        /** Reads without a caller waiting: answered at once, or held for the test to complete, or failed. */
        @Override
        public CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
            asyncLoads.incrementAndGet();
            if (failAsync) {
                return CompletableFuture.failedFuture(new IllegalStateException("Cassandra timeout (test)"));
            }
            ClientNetworkState state = store.load(clientNetwork);
            if (holdAsync) {
                CompletableFuture<ClientNetworkState> later = new CompletableFuture<>();
                held = () -> later.complete(state);
                return later;
            }
            return CompletableFuture.completedFuture(state);
        }

        @Override
        public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
            store.recordPassedTriplet(clientNetwork, triplet, ttl);
        }

        @Override
        public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
            store.penalise(clientNetwork, penalty);
        }

        @Override
        public void liftPenalty(ClientNetwork clientNetwork) {
            store.liftPenalty(clientNetwork);
        }
    }
}
