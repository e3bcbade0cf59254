package org.rcptguard.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.Decision;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.RcptRequest;

/**
 * Proves the benchmark still measures what it names: sets each state up as JMH would and calls each benchmark a few
 * times, checking the decision. Not timed.
 */
class DecisionBenchmarkTest {
    private static final int CALLS = 5;

    private final DecisionBenchmark benchmark = new DecisionBenchmark();

    private static void assertDecision(Decision decision, Outcome outcome, Reason reason) {
        assertThat(decision.outcome()).as("%s", decision).isEqualTo(outcome);
        assertThat(decision.reason()).as("%s", decision).isEqualTo(reason);
    }

    @Test
    void passedTripletIsDeclinedAsPassed() {
        DecisionBenchmark.PassedTriplet state = new DecisionBenchmark.PassedTriplet();
        state.setUp();

        for (int i = 0; i < CALLS; i++) {
            assertDecision(benchmark.passedTriplet(state), Outcome.PASS, Reason.PASSED);
        }
    }

    @Test
    void autoWhitelistedNetworkIsDeclinedAsAutoWhitelisted() {
        DecisionBenchmark.AutoWhitelisted state = new DecisionBenchmark.AutoWhitelisted();
        state.setUp();

        for (int i = 0; i < CALLS; i++) {
            assertDecision(benchmark.autoWhitelisted(state), Outcome.NOT_MINE, Reason.AUTO_WHITELISTED);
        }
    }

    @Test
    void firstContactIsANewTripletDeferredEachCall() {
        DecisionBenchmark.FirstContact state = new DecisionBenchmark.FirstContact();
        state.maxEntries = DecisionFixture.DEFAULT_MAX_ENTRIES;
        state.setUp();
        DecisionBenchmark.Senders senders = new DecisionBenchmark.Senders();

        Set<String> triplets = new HashSet<>();
        for (int i = 0; i < CALLS; i++) {
            RcptRequest request = benchmark.firstContactRequestOnly(state, senders);
            assertThat(triplets.add(request.sender().asString())).as("a new sender each call").isTrue();
            assertDecision(benchmark.firstContact(state, senders), Outcome.DEFER, Reason.GREYLISTED);
        }
    }

    @Test
    void firstContactStaysFirstContactPastTheCapOfTheStore() {
        DecisionBenchmark.FirstContact state = new DecisionBenchmark.FirstContact();
        state.maxEntries = 1000; // the smallest cap allowed: eviction runs every 100 new triplets
        state.setUp();
        DecisionBenchmark.Senders senders = new DecisionBenchmark.Senders();

        for (int i = 0; i < 3 * state.maxEntries; i++) {
            Decision decision = benchmark.firstContact(state, senders);
            if (decision.outcome() != Outcome.DEFER || decision.reason() != Reason.GREYLISTED) {
                assertDecision(decision, Outcome.DEFER, Reason.GREYLISTED);
            }
        }
    }

    @Test
    void unknownRecipientOfAPassedClientIsRejectedWithoutPenalty() {
        DecisionBenchmark.UnknownRecipient state = new DecisionBenchmark.UnknownRecipient();
        state.setUp();

        for (int i = 0; i < CALLS; i++) {
            assertDecision(benchmark.unknownRecipient(state), Outcome.REJECT_UNKNOWN_USER, Reason.UNKNOWN_USER);
        }
    }

    @Test
    void staticWhitelistedClientIsDeclinedAsWhitelisted() {
        DecisionBenchmark.StaticWhitelisted state = new DecisionBenchmark.StaticWhitelisted();
        state.setUp();

        for (int i = 0; i < CALLS; i++) {
            assertDecision(benchmark.staticWhitelisted(state), Outcome.NOT_MINE, Reason.WHITELISTED_CLIENT);
        }
    }

    @Test
    void everyCaseRunsOnTheSameConfiguration() {
        DecisionFixture fixture = new DecisionFixture();

        assertThat(fixture.configuration.memoryMaxEntries()).isEqualTo(DecisionFixture.DEFAULT_MAX_ENTRIES);
        assertThat(fixture.configuration.autoWhitelistPasses()).isEqualTo(5);
        assertThat(fixture.configuration.scanThreshold()).isGreaterThan(1);
    }
}
