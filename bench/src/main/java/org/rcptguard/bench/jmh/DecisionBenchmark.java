package org.rcptguard.bench.jmh;

import static org.rcptguard.bench.jmh.DecisionFixture.OTHER_VALID_RECIPIENT;
import static org.rcptguard.bench.jmh.DecisionFixture.SENDER;
import static org.rcptguard.bench.jmh.DecisionFixture.UNKNOWN_RECIPIENT;
import static org.rcptguard.bench.jmh.DecisionFixture.VALID_RECIPIENT;
import static org.rcptguard.bench.jmh.DecisionFixture.expect;
import static org.rcptguard.bench.jmh.DecisionFixture.request;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rcptguard.core.Decision;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.core.TransactionState;

/**
 * The core RCPT decision ({@code RcptPolicy.decide}) on the memory store, no I/O: one benchmark per case, each on a
 * state whose setup checks that a sample decision is the case named. Throughput is decisions per second; run with
 * {@code -prof gc} for the bytes allocated per decision ({@code gc.alloc.rate.norm}). {@code bench/run-jmh} runs it.
 *
 * <p>The states are shared by the threads of a run ({@code -t}), as one node's policy and store are shared by its SMTP
 * threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class DecisionBenchmark {

    /** The steady state: a known client retries a triplet that has passed, to a valid recipient. PASS (PASSED). */
    @State(Scope.Benchmark)
    public static class PassedTriplet {
        DecisionFixture fixture;
        RcptRequest request;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new DecisionFixture();
            request = request("192.0.2.10", SENDER, VALID_RECIPIENT);
            expect(fixture.pass(request), Outcome.PASS, Reason.PASSED);
            expect(fixture.decide(request), Outcome.PASS, Reason.PASSED);
        }
    }

    /**
     * A client network that has passed {@code autowhitelist.passes} (5) distinct triplets sends a triplet it never
     * sent: NOT_MINE (AUTO_WHITELISTED), without the greylist read once this node's hint knows the network, and
     * without a look-up of the recipient, found valid less than a minute before.
     */
    @State(Scope.Benchmark)
    public static class AutoWhitelisted {
        DecisionFixture fixture;
        RcptRequest request;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new DecisionFixture();
            List<String> recipients = List.of(VALID_RECIPIENT, OTHER_VALID_RECIPIENT, "abuse@example.com",
                "postmaster@example.com", "user1@example.com");
            if (recipients.size() != fixture.configuration.autoWhitelistPasses()) {
                throw new IllegalStateException("expected autowhitelist.passes = " + recipients.size() + ", configured "
                    + fixture.configuration.autoWhitelistPasses());
            }
            InetAddress client = DecisionFixture.address("203.0.113.5");
            for (String recipient : recipients) {
                expect(fixture.decide(request(client, SENDER, recipient)), Outcome.DEFER, Reason.GREYLISTED);
            }
            fixture.clock.advance(fixture.configuration.delay().plusSeconds(1));
            for (String recipient : recipients) {
                // Role accounts are accepted by RcptGuard itself, the others passed on to James's own checks.
                boolean roleAccount = recipient.startsWith("abuse@") || recipient.startsWith("postmaster@");
                expect(fixture.decide(request(client, SENDER, recipient)), roleAccount ? Outcome.ACCEPT : Outcome.PASS,
                    Reason.PASSED);
            }
            // Another address of the network, another sender: a triplet the greylist has never seen.
            request = request("203.0.113.77", "newsletter@other.example", "user2@example.com");
            expect(fixture.decide(request), Outcome.NOT_MINE, Reason.AUTO_WHITELISTED);
        }
    }

    /**
     * A triplet never seen, each call a new one (a new sender from one client to a valid recipient): DEFER
     * (GREYLISTED), the greylist writing a new record. At several hundred thousand decisions a second the triplet table
     * reaches its cap within a second of warm-up and stays there, evicting the oldest tenth whenever it is full: as in
     * production under a flood of new triplets. The cap is the default, 200 000 a table ({@code -p maxEntries=...} to
     * change it); eviction scans the table once per 20 000 new triplets, so its cost is part of each decision,
     * amortised, and so is the collection of a large table whose entries live under a second. A small cap would
     * flatter the case several times over: the table would fit in the caches and its entries die young.
     */
    @State(Scope.Benchmark)
    public static class FirstContact {
        @Param({"200000"})
        public int maxEntries;

        DecisionFixture fixture;
        InetAddress client;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new DecisionFixture(maxEntries);
            client = DecisionFixture.address("192.0.2.20");
            Senders senders = new Senders();
            expect(fixture.decide(senders.request(this)), Outcome.DEFER, Reason.GREYLISTED);
            expect(fixture.decide(senders.request(this)), Outcome.DEFER, Reason.GREYLISTED);
        }
    }

    /**
     * New envelope senders, distinct across threads and calls, and the requests naming them: the new triplets of
     * {@link FirstContact}. Their making is measured alone by {@link #firstContactRequestOnly}.
     */
    @State(Scope.Thread)
    public static class Senders {
        private static final AtomicInteger THREADS = new AtomicInteger();

        // Letters around the numbers: the sender normaliser would turn a number standing alone (VERP) into '#'.
        private final String prefix = "t" + THREADS.getAndIncrement() + "n";
        private long next;

        RcptRequest request(FirstContact state) {
            return DecisionFixture.request(state.client, prefix + next++ + "x@sender.example", VALID_RECIPIENT);
        }
    }

    /**
     * A client whose triplets have passed names an unknown recipient, again, through a triplet that has passed: the
     * scan detector records it (one distinct unknown recipient, under the threshold: no penalty) and it is refused,
     * REJECT_UNKNOWN_USER (UNKNOWN_USER), 550 5.1.1.
     */
    @State(Scope.Benchmark)
    public static class UnknownRecipient {
        DecisionFixture fixture;
        RcptRequest request;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new DecisionFixture();
            expect(fixture.pass(request("192.0.2.30", SENDER, VALID_RECIPIENT)), Outcome.PASS, Reason.PASSED);
            request = request("192.0.2.30", SENDER, UNKNOWN_RECIPIENT);
            expect(fixture.pass(request), Outcome.REJECT_UNKNOWN_USER, Reason.UNKNOWN_USER);
            // Twice: had the unknown recipient penalised its network, the second would be deferred.
            expect(fixture.decide(request), Outcome.REJECT_UNKNOWN_USER, Reason.UNKNOWN_USER);
            expect(fixture.decide(request), Outcome.REJECT_UNKNOWN_USER, Reason.UNKNOWN_USER);
        }
    }

    /** A client in {@code whitelist.clients}: NOT_MINE (WHITELISTED_CLIENT) before any store is read. */
    @State(Scope.Benchmark)
    public static class StaticWhitelisted {
        DecisionFixture fixture;
        RcptRequest request;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new DecisionFixture();
            request = request("198.51.100.7", SENDER, VALID_RECIPIENT);
            expect(fixture.decide(request), Outcome.NOT_MINE, Reason.WHITELISTED_CLIENT);
        }
    }

    @Benchmark
    public Decision passedTriplet(PassedTriplet state) {
        return state.fixture.policy.decide(state.request, TransactionState.EMPTY);
    }

    @Benchmark
    public Decision autoWhitelisted(AutoWhitelisted state) {
        return state.fixture.policy.decide(state.request, TransactionState.EMPTY);
    }

    /** Includes making the new request (see {@link #firstContactRequestOnly}). */
    @Benchmark
    public Decision firstContact(FirstContact state, Senders senders) {
        return state.fixture.policy.decide(senders.request(state), TransactionState.EMPTY);
    }

    /** Not a decision: what {@link #firstContact} spends making its new request, to subtract from it. */
    @Benchmark
    public RcptRequest firstContactRequestOnly(FirstContact state, Senders senders) {
        return senders.request(state);
    }

    @Benchmark
    public Decision unknownRecipient(UnknownRecipient state) {
        return state.fixture.policy.decide(state.request, TransactionState.EMPTY);
    }

    @Benchmark
    public Decision staticWhitelisted(StaticWhitelisted state) {
        return state.fixture.policy.decide(state.request, TransactionState.EMPTY);
    }
}
