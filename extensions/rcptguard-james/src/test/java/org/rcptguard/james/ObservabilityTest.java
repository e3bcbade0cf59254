package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Decision;
import org.rcptguard.core.Mail;
import org.rcptguard.core.PolicyFixture;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.core.TransactionState;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.memory.MemoryStores;
import org.rcptguard.core.store.RcptGuardStores;

import reactor.core.publisher.Mono;

/** Observe mode, the decision log, counters, metrics and the health check, on the hooks and the memory store. */
class ObservabilityTest {
    private static final String CLIENT = "192.0.2.10";
    private static final MaybeSender SENDER = MaybeSender.getMailSender("someone@sender.example");

    private static HookResult rcpt(RcptGuardRcptHook hook, FakeSession session, String recipient) throws Exception {
        return hook.doRcpt(session, SENDER, new MailAddress(recipient), Map.of());
    }

    @Nested
    class ObserveMode {
        @Test
        void everyDecisionIsMadeRecordedAndCountedButNeverApplied() throws Exception {
            PolicyFixture fixture = new PolicyFixture("mode", "observe");
            TestHooks hooks = new TestHooks(fixture);
            RcptGuardRcptHook hook = hooks.rcptHook(new DataStageRegistration());

            assertThat(rcpt(hook, new FakeSession(CLIENT), "alice@example.com")).isEqualTo(HookResult.DECLINED);
            assertThat(rcpt(hook, new FakeSession(CLIENT), "nobody@example.com")).isEqualTo(HookResult.DECLINED);
            fixture.clock.advance(Duration.ofMinutes(5));
            assertThat(rcpt(hook, new FakeSession(CLIENT), "nobody@example.com")).isEqualTo(HookResult.DECLINED);

            DecisionCounters.Snapshot counted = hooks.counters.snapshot();
            assertThat(counted.byReason().get(Decision.Reason.GREYLISTED)).isEqualTo(2);
            assertThat(counted.byOutcome().get(Decision.Outcome.REJECT_UNKNOWN_USER)).isEqualTo(1);
            assertThat(hooks.metricFactory.countFor(RcptGuardMetrics.OUTCOME_PREFIX + "DEFER")).isEqualTo(2);
        }

        @Test
        void whatWasLearnedWhileObservingIsKeptWhenEnforcing() throws Exception {
            PolicyFixture observing = new PolicyFixture("mode", "observe");
            rcpt(new TestHooks(observing).rcptHook(new DataStageRegistration()), new FakeSession(CLIENT), "alice@example.com");
            observing.clock.advance(Duration.ofMinutes(5));

            // the same stores, now decided on in enforce mode: the triplet first seen while observing has passed
            Decision decision = observing.policy.decide(new RcptRequest(InetAddress.getByName(CLIENT), false, false,
                Mail.sender("someone@sender.example"), Mail.address("alice@example.com")), TransactionState.EMPTY);

            assertThat(decision.reason()).isEqualTo(Decision.Reason.PASSED);
        }

        @Test
        void theDataHookCountsButLetsTheMessageThrough() throws Exception {
            PolicyFixture fixture = new PolicyFixture("mode", "observe", "reject.mode", "data");
            TestHooks hooks = new TestHooks(fixture);
            DataStageRegistration dataStage = new DataStageRegistration();
            RcptGuardRcptHook hook = hooks.rcptHook(dataStage);
            RcptGuardDataHook dataHook = hooks.dataHook(dataStage);
            rcpt(hook, new FakeSession(CLIENT), "nobody@example.com");
            fixture.clock.advance(Duration.ofMinutes(5));
            FakeSession session = new FakeSession(CLIENT);

            assertThat(rcpt(hook, session, "nobody@example.com")).isEqualTo(HookResult.DECLINED);
            assertThat(dataHook.onMessage(session, null)).isEqualTo(HookResult.DECLINED);
            assertThat(hooks.counters.snapshot().dataRejections()).isEqualTo(1);
            assertThat(hooks.metricFactory.countFor(RcptGuardMetrics.DATA_REJECTIONS)).isEqualTo(1);
        }

        @Test
        void aBugInThePolicyLeavesJamesAlone() throws Exception {
            PolicyFixture fixture = new PolicyFixture("mode", "observe");
            FakeSession broken = new FakeSession(CLIENT) {
                @Override
                public java.net.InetSocketAddress getRemoteAddress() {
                    throw new IllegalStateException("bug");
                }
            };

            assertThat(rcpt(TestHooks.rcptHook(fixture, new DataStageRegistration()), broken, "alice@example.com"))
                .isEqualTo(HookResult.DECLINED);
        }
    }

    @Nested
    class CountersAndMetrics {
        @Test
        void decisionsAreCountedByOutcomeAndReasonAndTimed() throws Exception {
            PolicyFixture fixture = new PolicyFixture("scan.threshold", "1");
            TestHooks hooks = new TestHooks(fixture);
            RcptGuardRcptHook hook = hooks.rcptHook(new DataStageRegistration());
            rcpt(hook, new FakeSession(CLIENT), "alice@example.com");
            fixture.clock.advance(Duration.ofMinutes(5));
            rcpt(hook, new FakeSession(CLIENT), "alice@example.com");
            rcpt(hook, new FakeSession(CLIENT), "u1@example.com");
            rcpt(hook, new FakeSession(CLIENT), "u2@example.com");

            DecisionCounters.Snapshot counted = hooks.counters.snapshot();
            assertThat(counted.decisions()).isEqualTo(4);
            assertThat(counted.deferred()).isEqualTo(3);
            assertThat(counted.passed()).isEqualTo(1);
            assertThat(counted.penalised()).isEqualTo(1);
            assertThat(counted.node().name()).isEqualTo("test-node");
            assertThat(hooks.metricFactory.countFor(RcptGuardMetrics.REASON_PREFIX + "PASSED")).isEqualTo(1);
            assertThat(hooks.metricFactory.countFor(RcptGuardMetrics.REASON_PREFIX + "GREYLISTED")).isEqualTo(3);
            assertThat(hooks.metricFactory.countFor(RcptGuardMetrics.PENALTIES)).isEqualTo(1);
            assertThat(hooks.metricFactory.executionTimesFor(RcptGuardMetrics.DECISION_TIMER)).hasSize(4);
        }

        @Test
        void everyStoreAndDirectoryCallIsTimed() throws Exception {
            RecordingMetricFactory metricFactory = new RecordingMetricFactory();
            RcptGuardConfiguration configuration = RcptGuardConfiguration.defaults();
            RcptGuardMetrics metrics = new RcptGuardMetrics(metricFactory, new NoopGaugeRegistry(), configuration);
            PolicyFixture fixture = new PolicyFixture();
            RcptGuardStores timed = new TimedStores(new MemoryStores(fixture.clock, configuration), metrics);
            TimedDirectory directory = new TimedDirectory(fixture.directory, metricFactory);

            org.rcptguard.core.RcptPolicy.create(directory, timed, configuration, fixture.clock)
                .decide(new RcptRequest(InetAddress.getByName(CLIENT), false, false, Mail.sender("a@sender.example"), Mail.address("alice@example.com")),
                    TransactionState.EMPTY);
            timed.probe();

            assertThat(metricFactory.executionTimesFor("rcptguard.store.triplet.find")).hasSize(1);
            assertThat(metricFactory.executionTimesFor("rcptguard.store.triplet.save")).hasSize(1);
            assertThat(metricFactory.executionTimesFor("rcptguard.store.network.load")).hasSize(1);
            assertThat(metricFactory.executionTimesFor("rcptguard.store.probe")).hasSize(1);
            assertThat(metricFactory.executionTimesFor(TimedDirectory.GOVERNS)).hasSize(1);
            assertThat(metricFactory.executionTimesFor(TimedDirectory.CLASSIFY)).hasSize(1);
        }
    }

    @Nested
    class Log {
        private final RcptGuardNode node = new RcptGuardNode("mx1", Instant.EPOCH);

        private RcptRequest request(String client, String sender, String recipient) throws Exception {
            return new RcptRequest(InetAddress.getByName(client), false, false, Mail.sender(sender), Mail.address(recipient));
        }

        @Test
        void aLineNamesNodeModeClientNetworkSenderRecipientClassOutcomeAndReason() throws Exception {
            PolicyFixture fixture = new PolicyFixture();
            RcptRequest request = request("192.0.2.7", "a@sender.example", "alice@example.com");
            Decision decision = fixture.policy.decide(request, TransactionState.EMPTY);

            assertThat(new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request, decision)).isEqualTo(
                "node=mx1 mode=enforce client=192.0.2.7 network=192.0.2.0/24 session=S1 sender=<a@sender.example>"
                    + " recipient=<alice@example.com> class=- outcome=DEFER reason=GREYLISTED");
        }

        @Test
        void theLinesOfAConnectionStartAsAnyLineWouldAndEachConnectionWithItsOwnClient() throws Exception {
            PolicyFixture fixture = new PolicyFixture();
            List<String> written = new ArrayList<>();
            DecisionLog log = new DecisionLog(fixture.configuration, node, written::add);
            FakeSession first = new FakeSession("192.0.2.7");
            FakeSession second = new FakeSession("198.51.100.9");
            RcptRequest alice = request("192.0.2.7", "a@sender.example", "alice@example.com");
            RcptRequest bob = request("192.0.2.7", "a@sender.example", "bob@example.com");
            RcptRequest other = request("198.51.100.9", "b@sender.example", "alice@example.com");
            Decision aliceDecision = fixture.policy.decide(alice, TransactionState.EMPTY);
            Decision bobDecision = fixture.policy.decide(bob, TransactionState.EMPTY);
            Decision otherDecision = fixture.policy.decide(other, TransactionState.EMPTY);

            log.log(first, alice, aliceDecision);
            log.log(second, other, otherDecision);
            log.log(first, bob, bobDecision);

            assertThat(written).containsExactly(
                log.line("test-session", alice, aliceDecision),
                log.line("test-session", other, otherDecision),
                log.line("test-session", bob, bobDecision));
            assertThat(written.get(1)).startsWith("node=mx1 mode=enforce client=198.51.100.9 network=198.51.100.0/24 session=test-session sender=<b@sender.example>");
            assertThat(written.get(2)).startsWith("node=mx1 mode=enforce client=192.0.2.7 network=192.0.2.0/24 session=test-session sender=<a@sender.example>"
                + " recipient=<bob@example.com>");
        }

        @Test
        void aProvenIdentityIsNamedAfterTheNetwork() throws Exception {
            PolicyFixture fixture = new PolicyFixture();
            RcptRequest request = new RcptRequest(InetAddress.getByName("192.0.2.7"), false, false, Mail.sender("a@sender.example"),
                Mail.address("alice@example.com"), Optional.of(ClientIdentity.spf("sender.example")));
            Decision decision = fixture.policy.decide(request, TransactionState.EMPTY);

            assertThat(new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request, decision)).isEqualTo(
                "node=mx1 mode=enforce client=192.0.2.7 network=192.0.2.0/24 session=S1 identity=spf:sender.example"
                    + " sender=<a@sender.example> recipient=<alice@example.com> class=- outcome=DEFER reason=GREYLISTED");
        }

        @Test
        void aDecisionUnderAHarvestsResponseNamesTheDomain() throws Exception {
            PolicyFixture fixture = new PolicyFixture();
            fixture.harvestState.start("example.com");
            RcptRequest request = request("192.0.2.7", "a@sender.example", "alice@example.com");
            Decision decision = fixture.policy.decide(request, TransactionState.EMPTY);

            assertThat(new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request, decision))
                .endsWith(" class=- outcome=DEFER reason=GREYLISTED harvest=example.com");
        }

        @Test
        void anImposedPenaltyHasItsOwnLine() throws Exception {
            PolicyFixture fixture = new PolicyFixture("scan.threshold", "1");
            fixture.rcpt("192.0.2.7", "a@sender.example", "u1@example.com");
            RcptRequest request = request("192.0.2.7", "a@sender.example", "u2@example.com");
            Decision decision = fixture.policy.decide(request, TransactionState.EMPTY);

            assertThat(new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request, decision))
                .endsWith("class=- outcome=DEFER reason=GREYLISTED");
            assertThat(new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).penaltyLine(request, fixture.penalised.get(0),
                fixture.penalties.get(0))).isEqualTo(
                "node=mx1 mode=enforce client=192.0.2.7 network=192.0.2.0/24 session=- stage=scan penalised=192.0.2.0/24"
                    + " sender=<a@sender.example> recipient=<u2@example.com> penalty=1/"
                    + fixture.clock.instant().plus(Duration.ofMinutes(20)));
        }

        /** A scanner spread over networks under one proven identity: the line names the identity it penalised. */
        @Test
        void aPenaltyOnAProvenIdentityNamesTheIdentity() throws Exception {
            PolicyFixture fixture = new PolicyFixture("scan.threshold", "1");
            Optional<ClientIdentity> identity = Optional.of(ClientIdentity.spf("sender.example"));
            for (String client : List.of("192.0.2.7", "198.51.100.7")) {
                fixture.policy.decide(new RcptRequest(InetAddress.getByName(client), false, false, Mail.sender("a@sender.example"),
                    Mail.address("u-" + client + "@example.com"), identity), TransactionState.EMPTY);
            }
            RcptRequest request = new RcptRequest(InetAddress.getByName("198.51.100.7"), false, false,
                Mail.sender("a@sender.example"), Mail.address("u-198.51.100.7@example.com"), identity);

            assertThat(fixture.penalised).containsExactly(ClientNetwork.provenBy(identity.get()));
            assertThat(new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).penaltyLine(request, fixture.penalised.get(0),
                fixture.penalties.get(0))).isEqualTo(
                "node=mx1 mode=enforce client=198.51.100.7 network=198.51.100.0/24 session=- identity=spf:sender.example"
                    + " stage=scan penalised=spf:sender.example sender=<a@sender.example>"
                    + " recipient=<u-198.51.100.7@example.com> penalty=1/"
                    + fixture.clock.instant().plus(Duration.ofMinutes(20)));
        }

        @Test
        void hashedAddressesAreStableKeyedAndKeepTheDomains() throws Exception {
            PolicyFixture fixture = new PolicyFixture("mode", "observe", "decision.log.hash.addresses", "true",
                "decision.log.hash.secret", "a-secret-of-this-deployment");
            PolicyFixture otherSecret = new PolicyFixture("decision.log.hash.addresses", "true",
                "decision.log.hash.secret", "another-deployment-secret");
            RcptRequest request = request("192.0.2.7", "a@sender.example", "alice@example.com");
            Decision decision = fixture.policy.decide(request, TransactionState.EMPTY);

            String line = new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request, decision);
            String again = new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request, decision);
            String other = new DecisionLog(otherSecret.configuration, node, DecisionLog::writeNow).line("S1", request, decision);

            assertThat(line).matches("node=mx1 mode=observe client=h:[0-9a-f]{16} network=192\\.0\\.2\\.0/24 session=S1"
                + " sender=<h:[0-9a-f]{16}@sender\\.example> recipient=<h:[0-9a-f]{16}@example\\.com> class=- outcome=DEFER reason=GREYLISTED");
            assertThat(line).doesNotContain("192.0.2.7").doesNotContain("alice").doesNotContain("<a@sender");
            assertThat(again).isEqualTo(line);
            assertThat(other).isNotEqualTo(line);
        }

        @Test
        void controlCharactersOfAnAddressAreEscapedSoThatNoLineCanBeForged() throws Exception {
            PolicyFixture fixture = new PolicyFixture();
            RcptRequest request = request("192.0.2.7", "\"a\\\r\\\nnode=mx1 outcome=ACCEPT\"@sender.example", "\"x\\\u0000y\"@example.com");

            String line = new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request,
                fixture.policy.decide(request, TransactionState.EMPTY));

            assertThat(line).doesNotContain("\r", "\n", "\u0000")
                .contains(" sender=<\"a\\\\\\r\\\\\\nnode=mx1 outcome=ACCEPT\"@sender.example> ")
                .contains(" recipient=<\"x\\\\\\u0000y\"@example.com> ");
        }

        @Test
        void theNullSenderStaysEmpty() throws Exception {
            PolicyFixture fixture = new PolicyFixture("decision.log.hash.addresses", "true",
                "decision.log.hash.secret", "a-secret-of-this-deployment");
            RcptRequest request = request("192.0.2.7", "", "alice@example.com");

            assertThat(new DecisionLog(fixture.configuration, node, DecisionLog::writeNow).line("S1", request,
                fixture.policy.decide(request, TransactionState.EMPTY))).contains(" sender=<> ");
        }
    }

    @Nested
    class HealthCheck {
        @Test
        void theMemoryStoreIsHealthy() {
            PolicyFixture fixture = new PolicyFixture();
            Result result = Mono.from(new RcptGuardHealthCheck(new MemoryStores(fixture.clock, fixture.configuration),
                fixture.harvestState).check()).block();

            assertThat(result.isHealthy()).isTrue();
            assertThat(result.getComponentName().getName()).isEqualTo("RcptGuard");
        }

        @Test
        void aDomainUnderHarvestIsADegradedStateNamingIt() {
            PolicyFixture fixture = new PolicyFixture("harvest.unknown.threshold", "3", "harvest.networks.threshold", "2");
            for (int network = 0; network < 4; network++) {
                fixture.harvestState.record(new org.rcptguard.core.store.DomainProbe("example.com", "guess" + network + "@example.com",
                    org.rcptguard.core.ClientNetwork.parse("10.0." + network + ".0/24")));
            }
            fixture.harvestState.refresh();

            Result result = Mono.from(new RcptGuardHealthCheck(new MemoryStores(fixture.clock, fixture.configuration),
                fixture.harvestState).check()).block();

            assertThat(result.isDegraded()).isTrue();
            assertThat(result.getCause()).hasValueSatisfying(cause -> assertThat(cause)
                .contains("under harvest").contains("example.com since").contains("4 unknown recipients from 4 networks"));
        }

        @Test
        void aStoreThatCannotBeReachedIsUnhealthy() {
            PolicyFixture fixture = new PolicyFixture();
            MemoryStores memory = new MemoryStores(fixture.clock, fixture.configuration);
            RcptGuardStores down = new RcptGuardStores() {
                @Override
                public org.rcptguard.core.store.TripletStore tripletStore() {
                    return memory.tripletStore();
                }

                @Override
                public org.rcptguard.core.store.ClientNetworkStore clientNetworkStore() {
                    return memory.clientNetworkStore();
                }

                @Override
                public org.rcptguard.core.store.UnknownRecipientStore unknownRecipientStore() {
                    return memory.unknownRecipientStore();
                }

                @Override
                public org.rcptguard.core.store.WhitelistStore whitelistStore() {
                    return memory.whitelistStore();
                }

                @Override
                public org.rcptguard.core.store.DomainProbeStore domainProbeStore() {
                    return memory.domainProbeStore();
                }

                @Override
                public void probe() {
                    throw new IllegalStateException("All 1 node(s) tried for the query failed");
                }
            };

            Result result = Mono.from(new RcptGuardHealthCheck(down, fixture.harvestState).check()).block();

            assertThat(result.isUnHealthy()).isTrue();
            assertThat(result.getCause()).hasValueSatisfying(cause -> assertThat(cause)
                .contains("store cannot be reached").contains("All 1 node(s) tried"));
        }
    }
}
