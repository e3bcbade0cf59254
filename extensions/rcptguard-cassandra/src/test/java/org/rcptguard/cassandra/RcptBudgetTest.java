package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The per-RCPT budget of docs/design.md ("Performance budget") on the Cassandra store, counted by a driver request tracker around the whole
 * policy: steady state is one read round trip (two reads in flight together) and no write.
 */
class RcptBudgetTest {
    private static final int RCPTS = 50;

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

        @Override
        public synchronized void onSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node,
                                           String logPrefix) {
            long end = System.nanoTime();
            String query = ((BoundStatement) request).getPreparedStatement().getQuery().trim().toUpperCase(Locale.ROOT);
            calls.add(new Call(query.startsWith("SELECT"), end - latencyNanos, end));
        }

        @Override
        public void close() {
        }

        synchronized List<Call> drain() throws InterruptedException {
            // The tracker hears of a request just after its caller: let the last ones arrive.
            wait(300);
            List<Call> drained = new ArrayList<>(calls);
            calls.clear();
            return drained;
        }
    }

    static final Recorder RECORDER = new Recorder();
    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static CassandraStores stores;
    static RcptPolicy policy;

    @BeforeAll
    static void open() {
        Properties settings = new Properties();
        settings.setProperty("autowhitelist.passes", "3");
        settings.setProperty("whitelist.clients", "192.0.2.0/24");
        RcptGuardConfiguration configuration = RcptGuardConfiguration.fromProperties(settings);
        stores = new RcptGuardCqlSessionFactory(TestConfigurations.forExtension(CASSANDRA))
            .open(CLOCK, StoreLimits.of(configuration), builder -> builder.addRequestTracker(RECORDER));
        policy = RcptPolicy.create(new StaticDirectory("example.com").valid("alice@example.com", "bob@example.com", "carol@example.com"),
            stores, configuration, CLOCK);
    }

    @AfterAll
    static void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private static Decision rcpt(String client, String sender, String recipient) throws Exception {
        return policy.decide(new RcptRequest(java.net.InetAddress.getByName(client), false, false,
            org.rcptguard.core.Mail.sender(sender), org.rcptguard.core.Mail.address(recipient)),
            TransactionState.EMPTY);
    }

    private static List<Recorder.Call> measure(String client, String sender, String recipient, Decision.Reason expected)
        throws Exception {
        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
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
    void aPassedTripletCostsTwoReadsInOneRoundTripAndNoWrite() throws Exception {
        rcpt("198.51.100.7", "steady@sender.example", "alice@example.com");
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(rcpt("198.51.100.7", "steady@sender.example", "alice@example.com").reason()).isEqualTo(Decision.Reason.PASSED);

        List<Recorder.Call> calls = measure("198.51.100.7", "steady@sender.example", "alice@example.com", Decision.Reason.PASSED);

        System.out.printf("steady state: %.2f reads, %.2f writes per RCPT%n", reads(calls) / (double) RCPTS, writes(calls) / (double) RCPTS);
        assertThat(reads(calls)).isEqualTo(2L * RCPTS);
        assertThat(writes(calls)).isZero();
        // The two reads of one RCPT overlap: they are one round trip. Sequential reads would never overlap; on a
        // loaded machine a thread may be descheduled between the two sends, so most pairs, not all, must overlap.
        int overlapping = 0;
        for (int i = 0; i < calls.size(); i += 2) {
            Recorder.Call first = calls.get(i);
            Recorder.Call second = calls.get(i + 1);
            if (Math.max(first.startNanos, second.startNanos) < Math.min(first.endNanos, second.endNanos)) {
                overlapping++;
            }
        }
        System.out.printf("steady state: %d of %d RCPTs had their two reads in flight together%n", overlapping, RCPTS);
        assertThat(overlapping).isGreaterThanOrEqualTo(RCPTS * 8 / 10);
    }

    @Test
    void firstContactCostsTwoReadsInOneRoundTripAndOneWrite() throws Exception {
        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            assertThat(rcpt("198.51.101.7", "first" + i + "@sender.example", "alice@example.com").reason())
                .isEqualTo(Decision.Reason.GREYLISTED);
        }
        List<Recorder.Call> calls = RECORDER.drain();

        assertThat(reads(calls)).isEqualTo(2L * RCPTS);
        assertThat(writes(calls)).isEqualTo(RCPTS);
    }

    /**
     * A client that proved an identity (SPF): the identity's reputation and penalty are read beside the network's and
     * the triplet's, the three in flight together, so still one round trip; no extra write in the steady state.
     */
    @Test
    void aProvenClientCostsOneMoreReadInTheSameRoundTrip() throws Exception {
        ClientIdentity pool = ClientIdentity.spf("pool.example");
        provenRcpt("198.51.104.7", pool, "proven@pool.example");
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(provenRcpt("198.51.105.7", pool, "proven@pool.example").reason()).isEqualTo(Decision.Reason.PASSED);

        RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            assertThat(provenRcpt("198.51.105.7", pool, "proven@pool.example").reason()).isEqualTo(Decision.Reason.PASSED);
        }
        List<Recorder.Call> steady = RECORDER.drain();
        for (int i = 0; i < RCPTS; i++) {
            assertThat(provenRcpt("198.51.106.7", pool, "first" + i + "@pool.example").reason()).isEqualTo(Decision.Reason.GREYLISTED);
        }
        List<Recorder.Call> first = RECORDER.drain();

        System.out.printf("proven client, steady state: %.2f reads, %.2f writes per RCPT; first contact: %.2f reads, %.2f writes%n",
            reads(steady) / (double) RCPTS, writes(steady) / (double) RCPTS, reads(first) / (double) RCPTS, writes(first) / (double) RCPTS);
        assertThat(reads(steady)).isEqualTo(3L * RCPTS);
        assertThat(writes(steady)).isZero();
        assertThat(reads(first)).isEqualTo(3L * RCPTS);
        assertThat(writes(first)).isEqualTo(RCPTS);
        int together = 0;
        for (int i = 0; i < steady.size(); i += 3) {
            List<Recorder.Call> one = steady.subList(i, i + 3);
            long lastStart = one.stream().mapToLong(call -> call.startNanos).max().orElseThrow();
            long firstEnd = one.stream().mapToLong(call -> call.endNanos).min().orElseThrow();
            if (lastStart < firstEnd) {
                together++;
            }
        }
        System.out.printf("proven client, steady state: %d of %d RCPTs had their three reads in flight together%n", together, RCPTS);
        assertThat(together).isGreaterThanOrEqualTo(RCPTS * 7 / 10);
    }

    private static Decision provenRcpt(String client, ClientIdentity identity, String sender) throws Exception {
        return policy.decide(new RcptRequest(java.net.InetAddress.getByName(client), false, false,
            org.rcptguard.core.Mail.sender(sender), org.rcptguard.core.Mail.address("alice@example.com"), Optional.of(identity)),
            TransactionState.EMPTY);
    }

    @Test
    void aPenalisedNetworkCostsOneReadPerRcptOnceThisNodeKnowsIt() throws Exception {
        // Eleven distinct unknown recipients, over the default threshold of 10: penalised.
        for (int i = 0; i < 11; i++) {
            rcpt("198.51.103.7", "scan@sender.example", "probe" + i + "@example.com");
        }
        // The first RCPT after the penalty still starts the greylist read beside the network's; from then on the
        // node knows the network is penalised and reads only the network's state.
        assertThat(rcpt("198.51.103.7", "scan@sender.example", "alice@example.com").reason()).isEqualTo(Decision.Reason.PENALISED);

        List<Recorder.Call> calls = measure("198.51.103.7", "scan@sender.example", "alice@example.com", Decision.Reason.PENALISED);

        assertThat(reads(calls)).isEqualTo(RCPTS);
        assertThat(writes(calls)).isZero();
    }

    @Test
    void aTrustedClientCostsAtMostOneReadAndNoWrite() throws Exception {
        for (String recipient : List.of("alice@example.com", "bob@example.com", "carol@example.com")) {
            rcpt("198.51.102.7", "auto@sender.example", recipient);
        }
        CLOCK.advance(Duration.ofMinutes(5));
        for (String recipient : List.of("alice@example.com", "bob@example.com", "carol@example.com")) {
            rcpt("198.51.102.7", "auto@sender.example", recipient);
        }

        // The first RCPT of an auto-whitelisted network also starts the greylist read beside the network's; from then
        // on this node knows the network is trusted and reads only the network's state.
        assertThat(rcpt("198.51.102.9", "new@other.example", "alice@example.com").reason()).isEqualTo(Decision.Reason.AUTO_WHITELISTED);
        List<Recorder.Call> auto = measure("198.51.102.9", "new@other.example", "alice@example.com", Decision.Reason.AUTO_WHITELISTED);
        List<Recorder.Call> whitelisted = measure("192.0.2.1", "any@sender.example", "alice@example.com", Decision.Reason.WHITELISTED_CLIENT);

        assertThat(reads(auto)).isEqualTo(RCPTS);
        assertThat(writes(auto)).isZero();
        assertThat(whitelisted).isEmpty();
    }
}
