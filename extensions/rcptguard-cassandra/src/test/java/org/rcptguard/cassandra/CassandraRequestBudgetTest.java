package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.StoreLimits;

/**
 * Requests per store call, counted by a driver {@link com.datastax.oss.driver.api.core.tracker.RequestTracker} on
 * RcptGuard's own session, over many calls each (the tracker hears of a request right after the caller does, so
 * the counts are read once the session is quiet). The per-RCPT budget of the design is one read and one write
 * round trip; these are its parts.
 */
class CassandraRequestBudgetTest {
    private static final int CALLS = 200;
    private static final int MAX_PASSED_TRIPLETS = 5;
    private static final ClientNetwork NETWORK = ClientNetwork.parse("198.51.100.0/24");

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final CountingRequestTracker TRACKER = new CountingRequestTracker();
    static final List<LatencyStats> REPORT = new ArrayList<>();
    static CassandraStores stores;

    @BeforeAll
    static void open() {
        stores = new RcptGuardCqlSessionFactory(TestConfigurations.forExtension(CASSANDRA))
            .open(Clock.systemUTC(), new StoreLimits(MAX_PASSED_TRIPLETS, 74), builder -> builder.addRequestTracker(TRACKER));
    }

    @AfterAll
    static void close() {
        REPORT.forEach(stats -> System.out.println("latency " + stats));
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void findIsOneRequestWhetherTheTripletIsKnownOrNot() {
        Triplet known = triplet(NETWORK, "known@example.com");
        stores.tripletStore().save(known, TripletRecord.firstSeen(Instant.now()), Duration.ofHours(1));

        assertThat(requestsPerCall("TripletStore.find (present)", i -> assertThat(stores.tripletStore().find(known)).isPresent()))
            .isEqualTo(1.0);
        assertThat(requestsPerCall("TripletStore.find (absent)",
            i -> assertThat(stores.tripletStore().find(triplet(NETWORK, "absent" + i + "@example.com"))).isEmpty()))
            .isEqualTo(1.0);
    }

    @Test
    void saveIsOneRequest() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(requestsPerCall("TripletStore.save", i -> stores.tripletStore()
            .save(triplet(NETWORK, "save" + i + "@example.com"), TripletRecord.firstSeen(now), Duration.ofHours(1))))
            .isEqualTo(1.0);
    }

    @Test
    void loadIsOneRequestReturningPassedTripletsAndPenaltyTogether() {
        ClientNetwork network = ClientNetwork.parse("203.0.113.0/24");
        for (int i = 0; i < MAX_PASSED_TRIPLETS + 3; i++) {
            stores.clientNetworkStore().recordPassedTriplet(network, triplet(network, "passed" + i + "@example.com"), Duration.ofHours(1));
        }
        Penalty penalty = new Penalty(3, Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS));
        stores.clientNetworkStore().penalise(network, penalty);
        ClientNetwork penalisedOnly = ClientNetwork.parse("203.0.114.0/24");
        stores.clientNetworkStore().penalise(penalisedOnly, penalty);

        ClientNetworkState expected = new ClientNetworkState(MAX_PASSED_TRIPLETS, Optional.of(penalty));
        assertThat(requestsPerCall("ClientNetworkStore.load (passes+penalty)",
            i -> assertThat(stores.clientNetworkStore().load(network)).isEqualTo(expected)))
            .isEqualTo(1.0);
        assertThat(requestsPerCall("ClientNetworkStore.load (penalty only)",
            i -> assertThat(stores.clientNetworkStore().load(penalisedOnly)).isEqualTo(new ClientNetworkState(0, Optional.of(penalty)))))
            .isEqualTo(1.0);
        assertThat(requestsPerCall("ClientNetworkStore.load (unknown)",
            i -> assertThat(stores.clientNetworkStore().load(ClientNetwork.parse("10." + (i % 250) + ".0.0/24")))
                .isEqualTo(ClientNetworkState.UNKNOWN)))
            .isEqualTo(1.0);
    }

    @Test
    void recordingAPassIsOneRequestAndChangingAPenaltyTwo() {
        ClientNetwork network = ClientNetwork.parse("203.0.115.0/24");
        assertThat(requestsPerCall("ClientNetworkStore.recordPassedTriplet", i -> stores.clientNetworkStore()
            .recordPassedTriplet(network, triplet(network, "pass" + i + "@example.com"), Duration.ofHours(1))))
            .isEqualTo(1.0);
        // the penalty's write, then its announcement to the other nodes (in that order: a node hearing of it reads the
        // penalty); penalties change at most once a second per network
        assertThat(requestsPerCall("ClientNetworkStore.penalise", i -> stores.clientNetworkStore()
            .penalise(network, new Penalty(1 + i, Instant.now().plusSeconds(60)))))
            .isEqualTo(2.0);
        assertThat(requestsPerCall("ClientNetworkStore.liftPenalty", i -> stores.clientNetworkStore().liftPenalty(network)))
            .isEqualTo(2.0);
    }

    @Test
    void recordAndCountIsAtMostTwoRequests() {
        ClientNetwork network = ClientNetwork.parse("203.0.116.0/24");
        assertThat(requestsPerCall("UnknownRecipientStore.recordAndCount",
            i -> assertThat(stores.unknownRecipientStore().recordAndCount(network, "unknown" + i + "@example.com", Duration.ofHours(1)))
                .isEqualTo(Math.min(i + 1, 74))))
            .isLessThanOrEqualTo(2.0);
    }

    /** Runs {@code call} {@value #CALLS} times and returns the requests per call; no retry may hide among them. */
    private static double requestsPerCall(String name, IntConsumer call) {
        LatencyStats stats = new LatencyStats(name);
        awaitQuiet();
        TRACKER.reset();
        for (int i = 0; i < CALLS; i++) {
            int index = i;
            stats.time(() -> call.accept(index));
        }
        awaitQuiet();
        REPORT.add(stats);
        assertThat(TRACKER.nodeAttempts()).as("attempts on nodes (retries, speculative executions)").isEqualTo(TRACKER.requests());
        double perCall = (double) TRACKER.requests() / CALLS;
        System.out.printf("requests %-40s %.2f per call%n", name, perCall);
        return perCall;
    }

    /** The tracker is told of a request just after its caller: wait until no count moves for a while. */
    private static void awaitQuiet() {
        int last = -1;
        while (TRACKER.requests() != last) {
            last = TRACKER.requests();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Triplet triplet(ClientNetwork network, String recipient) {
        return new Triplet(network, "sender@example.org", recipient);
    }

    @FunctionalInterface
    interface IntConsumer {
        void accept(int index);
    }
}
