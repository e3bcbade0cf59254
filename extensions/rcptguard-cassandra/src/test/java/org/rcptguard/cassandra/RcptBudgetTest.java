package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.Decision;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.core.StaticDirectory;
import org.rcptguard.core.TransactionState;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;

/**
 * The per-RCPT budget of docs/design.md ("State") on the Cassandra store through a node's near caches, counted by a
 * driver request tracker around the whole policy, the RCPTs spread over the clock as traffic is: at most 0.1 request
 * per RCPT in the steady state, 1 for a first contact (one write after the reply, which may share its request; no
 * read once the node's triplet filter holds the greylist), 1.2 for a scan.
 */
class RcptBudgetTest {
    private static final int RCPTS = 100;
    /** The clock moves this much between RCPTs: the RCPTs span 5 s, five times the shortest staleness bound. */
    private static final Duration BETWEEN_RCPTS = Duration.ofMillis(50);

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    /** Every request with when it started and ended, classified by its CQL verb. */
    static final class Recorder implements RequestTracker {
        static final class Call {
            final boolean read;
            final long startNanos;
            final long endNanos;

            Call(boolean read, long startNanos, long endNanos) {
                this.read = read;
                this.startNanos = startNanos;
                this.endNanos = endNanos;
            }
        }

        final List<Call> calls = new ArrayList<>();
        final AtomicInteger feedRequests = new AtomicInteger();
        final AtomicInteger penaltyChangeReads = new AtomicInteger();

        @Override
        public synchronized void onSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node,
                                           String logPrefix) {
            long end = System.nanoTime();
            if (!(request instanceof BoundStatement)) {
                calls.add(new Call(false, end - latencyNanos, end)); // a batch of writes after the reply
                return;
            }
            String query = ((BoundStatement) request).getPreparedStatement().getQuery();
            if (query.contains(CassandraTripletFeed.TABLE_NAME)) {
                feedRequests.incrementAndGet(); // per second of the node, not per RCPT: counted apart
                return;
            }
            if (query.contains(CassandraPenaltyChanges.TABLE_NAME) && query.startsWith("SELECT")) {
                penaltyChangeReads.incrementAndGet(); // the same
                return;
            }
            calls.add(new Call(query.trim().toUpperCase(Locale.ROOT).startsWith("SELECT"), end - latencyNanos, end));
        }

        @Override
        public void close() {
        }

        /**
         * The requests ended since the last drain, once none has ended for 300 ms: the tracker hears of a request just
         * after its caller, and the writes a reply did not wait for end after it.
         */
        synchronized List<Call> drain() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int seen = -1;
            while (seen != calls.size() && System.nanoTime() < deadline) {
                seen = calls.size();
                wait(300);
            }
            List<Call> drained = new ArrayList<>(calls);
            calls.clear();
            return drained;
        }
    }

    static final Recorder RECORDER = new Recorder();
    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static CassandraStores stores;
    static NearCachedStores near;
    static RcptPolicy policy;

    @BeforeAll
    static void open() {
        Properties settings = new Properties();
        settings.setProperty("autowhitelist.passes", "3");
        settings.setProperty("whitelist.clients", "192.0.2.0/24");
        RcptGuardConfiguration configuration = RcptGuardConfiguration.fromProperties(settings);
        stores = new RcptGuardCqlSessionFactory(TestConfigurations.forExtension(CASSANDRA))
            .open(CLOCK, StoreLimits.of(configuration), builder -> builder.addRequestTracker(RECORDER));
        near = new NearCachedStores(stores, CLOCK, configuration.delay());
        policy = RcptPolicy.create(new StaticDirectory("example.com").valid("alice@example.com", "bob@example.com", "carol@example.com"),
            near, configuration, CLOCK);
    }

    /** What an earlier test's replies left in flight is not this test's. */
    @BeforeEach
    void settle() throws InterruptedException {
        RECORDER.drain();
    }

    @AfterAll
    static void close() throws InterruptedException {
        if (near != null) {
            near.close();
        }
        if (stores != null) {
            stores.close();
        }
    }

    private static Decision rcpt(String client, String sender, String recipient) throws Exception {
        return policy.decide(request(client, sender, recipient), TransactionState.EMPTY);
    }

    private static RcptRequest request(String client, String sender, String recipient) throws Exception {
        return new RcptRequest(java.net.InetAddress.getByName(client), false, false,
            org.rcptguard.core.Mail.sender(sender), org.rcptguard.core.Mail.address(recipient));
    }

    private static List<Recorder.Call> measure(String client, String sender, String recipient, Decision.Reason expected)
        throws Exception {
        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            assertThat(rcpt(client, sender, recipient).reason()).isEqualTo(expected);
        }
        return RECORDER.drain();
    }

    private static long reads(List<Recorder.Call> calls) {
        return calls.stream().filter(call -> call.read).count();
    }

    private static long writes(List<Recorder.Call> calls) {
        return calls.size() - reads(calls);
    }

    @Test
    void aPassedTripletCostsAtMostOneRequestPerTenRcptsAndNoWrite() throws Exception {
        rcpt("198.51.100.7", "steady@sender.example", "alice@example.com");
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(rcpt("198.51.100.7", "steady@sender.example", "alice@example.com").reason()).isEqualTo(Decision.Reason.PASSED);

        List<Recorder.Call> calls = measure("198.51.100.7", "steady@sender.example", "alice@example.com", Decision.Reason.PASSED);

        System.out.printf("steady state: %.2f reads, %.2f writes per RCPT%n", reads(calls) / (double) RCPTS, writes(calls) / (double) RCPTS);
        // The network's state at most once per second of the clock (once per 10 s while the penalty changes are read);
        // the pass from memory.
        assertThat(calls.size()).isLessThanOrEqualTo(RCPTS / 10);
        assertThat(writes(calls)).isZero();
    }

    @Test
    void firstContactCostsOneWriteAndNoReadBesidesTheNetworksStateOncePerSecond() throws Exception {
        awaitWholeTripletFilter();
        rcpt("198.51.101.7", "warm@sender.example", "alice@example.com");
        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            assertThat(rcpt("198.51.101.7", "first" + i + "@sender.example", "alice@example.com").reason())
                .isEqualTo(Decision.Reason.GREYLISTED);
        }
        List<Recorder.Call> calls = RECORDER.drain();

        // No read of the triplet (the node's triplet filter has never heard of it); its write after the reply, alone or
        // with others in one request; the network's state at most once per second of the clock.
        System.out.printf("first contact: %.2f reads, %.2f writes per RCPT%n", reads(calls) / (double) RCPTS, writes(calls) / (double) RCPTS);
        assertThat(writes(calls)).isBetween(1L, (long) RCPTS);
        assertThat(reads(calls)).isLessThanOrEqualTo(6);
    }

    @Test
    void withoutAWholeTripletFilterFirstContactCostsOneReadAndOneWrite() throws Exception {
        try (CassandraStores unfiltered = new RcptGuardCqlSessionFactory(
                 TestConfigurations.forExtension(CASSANDRA, CassandraStoreConfiguration.TRIPLET_FILTER, "false"))
                 .open(CLOCK, StoreLimits.of(RcptGuardConfiguration.defaults()), builder -> builder.addRequestTracker(RECORDER))) {
            NearCachedStores unfilteredNear = new NearCachedStores(unfiltered, CLOCK, RcptGuardConfiguration.defaults().delay());
            RcptPolicy unfilteredPolicy = RcptPolicy.create(new StaticDirectory("example.com").valid("alice@example.com"),
                unfilteredNear, RcptGuardConfiguration.defaults(), CLOCK);
            unfilteredPolicy.decide(request("198.51.106.7", "warm@sender.example", "alice@example.com"), TransactionState.EMPTY);
            RECORDER.drain();
            for (int i = 0; i < RCPTS; i++) {
                CLOCK.advance(BETWEEN_RCPTS);
                assertThat(unfilteredPolicy.decide(request("198.51.106.7", "first" + i + "@sender.example", "alice@example.com"),
                    TransactionState.EMPTY).reason()).isEqualTo(Decision.Reason.GREYLISTED);
            }
            List<Recorder.Call> calls = RECORDER.drain();
            unfilteredNear.close();

            // The triplet's read, its write after the reply; the network's state at most once per second of the clock.
            assertThat(reads(calls)).isBetween((long) RCPTS, RCPTS + 6L);
            assertThat(writes(calls)).isBetween(1L, (long) RCPTS);
        }
    }

    @Test
    void theTripletFilterCostsAFewRequestsPerSecondOfTheNodeNotPerRcpt() throws Exception {
        awaitWholeTripletFilter();
        RECORDER.drain();
        int before = RECORDER.feedRequests.get();
        long started = System.nanoTime();
        for (int i = 0; i < 10 * RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            rcpt("198.51.110.7", "feed" + i + "@sender.example", "alice@example.com");
        }
        Thread.sleep(1_000);
        double seconds = (System.nanoTime() - started) / 1e9;
        int feed = RECORDER.feedRequests.get() - before;

        // Two reads of the other nodes' publications per second (two minutes' partitions each, across a minute's
        // end), at most ten publications per second, plus the round in progress at either end.
        System.out.printf("triplet filter: %d requests in %.1f s for %d first contacts%n", feed, seconds, 10 * RCPTS);
        assertThat(feed).isLessThanOrEqualTo((int) Math.ceil(seconds * (2 * 2 + 10)) + 4);
    }

    @Test
    void thePenaltyChangesCostTwoReadsPerSecondOfTheNodeNotPerRcpt() throws Exception {
        RECORDER.drain();
        int before = RECORDER.penaltyChangeReads.get();
        long started = System.nanoTime();
        for (int i = 0; i < 10 * RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            rcpt("198.51.111." + (i % 200), "changes@sender.example", "alice@example.com");
        }
        Thread.sleep(1_000);
        double seconds = (System.nanoTime() - started) / 1e9;
        int reads = RECORDER.penaltyChangeReads.get() - before;

        // Two reads a second (two minutes' partitions each, across a minute's end), plus the one in progress at either end.
        System.out.printf("penalty changes: %d reads in %.1f s for %d RCPTs from 200 networks%n", reads, seconds, 10 * RCPTS);
        assertThat(reads).isBetween(1, (int) Math.ceil(seconds * 2 * 2) + 4);
    }

    private static void awaitWholeTripletFilter() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!near.tripletFilterIsWhole() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(near.tripletFilterIsWhole()).as("the triplet filter has scanned the greylist").isTrue();
    }

    /**
     * A client that proved an identity (SPF): the identity's reputation and penalty are read beside the network's and
     * the triplet's, the three in flight together, so still one round trip; no extra write in the steady state.
     */
    @Test
    void aProvenClientCostsWhatANetworkCostsAndItsIdentitysStateOncePerSecond() throws Exception {
        ClientIdentity pool = ClientIdentity.spf("pool.example");
        provenRcpt("198.51.107.7", pool, "proven@pool.example");
        CLOCK.advance(Duration.ofMinutes(5));
        // retried from another network of the same sender domain: the identity's triplet passes
        assertThat(provenRcpt("198.51.108.7", pool, "proven@pool.example").reason()).isEqualTo(Decision.Reason.PASSED);

        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            assertThat(provenRcpt("198.51.108.7", pool, "proven@pool.example").reason()).isEqualTo(Decision.Reason.PASSED);
        }
        List<Recorder.Call> steady = RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            assertThat(provenRcpt("198.51.109.7", pool, "first" + i + "@pool.example").reason()).isEqualTo(Decision.Reason.GREYLISTED);
        }
        List<Recorder.Call> first = RECORDER.drain();

        System.out.printf("proven client, steady state: %.2f reads, %.2f writes per RCPT; first contact: %.2f reads, %.2f writes%n",
            reads(steady) / (double) RCPTS, writes(steady) / (double) RCPTS, reads(first) / (double) RCPTS, writes(first) / (double) RCPTS);
        // The network's and the identity's states at most once per second of the clock each; the pass from memory.
        assertThat(steady.size()).isLessThanOrEqualTo(2 * RCPTS / 10);
        assertThat(writes(steady)).isZero();
        // Besides those: the first contact's write (the triplet filter answers for the read).
        assertThat(reads(first)).isLessThanOrEqualTo(2 * RCPTS / 10);
        assertThat(writes(first)).isBetween(1L, (long) RCPTS);
    }

    private static Decision provenRcpt(String client, ClientIdentity identity, String sender) throws Exception {
        return policy.decide(new RcptRequest(java.net.InetAddress.getByName(client), false, false,
            org.rcptguard.core.Mail.sender(sender), org.rcptguard.core.Mail.address("alice@example.com"), Optional.of(identity)),
            TransactionState.EMPTY);
    }

    @Test
    void aScanningNetworkCostsAboutOneWritePerUnknownRecipient() throws Exception {
        // Eleven distinct unknown recipients, over the default threshold of 10: penalised.
        for (int i = 0; i < 11; i++) {
            rcpt("198.51.104.7", "scan@sender.example", "probe" + i + "@example.com");
        }
        assertThat(rcpt("198.51.104.7", "scan@sender.example", "alice@example.com").reason()).isEqualTo(Decision.Reason.PENALISED);

        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            assertThat(rcpt("198.51.104.7", "scan@sender.example", "more" + i + "@example.com").reason())
                .isEqualTo(Decision.Reason.PENALISED);
        }
        List<Recorder.Call> calls = RECORDER.drain();

        // Each unknown recipient's event is written; the network's state and recipients are read once per second of
        // the clock, and the raised penalty written once per second of real time.
        System.out.printf("scan: %.2f reads, %.2f writes per RCPT%n", reads(calls) / (double) RCPTS, writes(calls) / (double) RCPTS);
        assertThat(calls.size()).isLessThanOrEqualTo(RCPTS * 12 / 10);
        assertThat(near.clientNetworkStore().load(org.rcptguard.core.ClientNetwork.parse("198.51.104.0/24")).penalty())
            .hasValueSatisfying(penalty -> assertThat(penalty.level()).isEqualTo(StoreLimits.UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD));
    }

    @Test
    void aScannerCountedToTheMostAReadReturnsWritesOneEventPerSecondNotOnePerRecipient() throws Exception {
        int counted = StoreLimits.of(RcptGuardConfiguration.fromProperties(new Properties())).maxCountedUnknownRecipients();
        for (int i = 0; i < counted; i++) {
            rcpt("198.51.105.7", "scan@sender.example", "probe" + i + "@example.com");
        }

        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            CLOCK.advance(BETWEEN_RCPTS);
            assertThat(rcpt("198.51.105.7", "scan@sender.example", "beyond" + i + "@example.com").reason())
                .isEqualTo(Decision.Reason.PENALISED);
        }
        List<Recorder.Call> calls = RECORDER.drain();

        // Its further guesses cannot raise the count: only the near cache's read once per second of the clock writes
        // one (the partition stops growing), besides the network's state.
        System.out.printf("scan past the counted maximum: %.2f reads, %.2f writes per RCPT%n", reads(calls) / (double) RCPTS,
            writes(calls) / (double) RCPTS);
        assertThat(writes(calls)).isLessThanOrEqualTo(RCPTS / 10 + 2);
        assertThat(near.unknownRecipientStore().count(org.rcptguard.core.ClientNetwork.parse("198.51.105.0/24")))
            .isEqualTo(counted);
    }

    @Test
    void aPenalisedNetworkNamingAValidRecipientCostsOnlyItsStateOncePerSecond() throws Exception {
        for (int i = 0; i < 11; i++) {
            rcpt("198.51.103.7", "scan@sender.example", "probe" + i + "@example.com");
        }
        assertThat(rcpt("198.51.103.7", "scan@sender.example", "alice@example.com").reason()).isEqualTo(Decision.Reason.PENALISED);

        List<Recorder.Call> calls = measure("198.51.103.7", "scan@sender.example", "alice@example.com", Decision.Reason.PENALISED);

        assertThat(calls.size()).isLessThanOrEqualTo(RCPTS / 10);
        assertThat(writes(calls)).isZero();
    }

    @Test
    void aTrustedClientCostsAtMostOneRequestPerTenRcptsAndNoWrite() throws Exception {
        for (String recipient : List.of("alice@example.com", "bob@example.com", "carol@example.com")) {
            rcpt("198.51.102.7", "auto@sender.example", recipient);
        }
        CLOCK.advance(Duration.ofMinutes(5));
        for (String recipient : List.of("alice@example.com", "bob@example.com", "carol@example.com")) {
            rcpt("198.51.102.7", "auto@sender.example", recipient);
        }

        assertThat(rcpt("198.51.102.9", "new@other.example", "alice@example.com").reason()).isEqualTo(Decision.Reason.AUTO_WHITELISTED);
        List<Recorder.Call> auto = measure("198.51.102.9", "new@other.example", "alice@example.com", Decision.Reason.AUTO_WHITELISTED);
        List<Recorder.Call> whitelisted = measure("192.0.2.1", "any@sender.example", "alice@example.com", Decision.Reason.WHITELISTED_CLIENT);

        assertThat(auto.size()).isLessThanOrEqualTo(RCPTS / 10);
        assertThat(writes(auto)).isZero();
        assertThat(whitelisted).isEmpty();
    }
}
