package org.rcptguard.james;

import java.time.Instant;
import java.util.Optional;

import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.rcptguard.core.PolicyFixture;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.identity.Pending;
import org.rcptguard.core.identity.VerifiedNameResolver;

/** The hooks on a {@link PolicyFixture}, recording into fresh counters and a {@link RecordingMetricFactory}. */
final class TestHooks {
    final RecordingMetricFactory metricFactory = new RecordingMetricFactory();
    final DecisionCounters counters = new DecisionCounters(new RcptGuardNode("test-node", Instant.EPOCH));
    final RcptGuardMetrics metrics;
    final DecisionRecorder recorder;
    final PolicyFixture fixture;

    TestHooks(PolicyFixture fixture) {
        this.fixture = fixture;
        this.metrics = new RcptGuardMetrics(metricFactory, new NoopGaugeRegistry(), fixture.configuration);
        this.recorder = new DecisionRecorder(new DecisionLog(fixture.configuration, new RcptGuardNode("test-node", Instant.EPOCH),
            DecisionLog::writeNow), counters, metrics);
        fixture.penaltyListeners.add(recorder);
    }

    /** The RCPT hook, its policy told whether {@code dataStage} is registered. */
    RcptGuardRcptHook rcptHook(DataStageRegistration dataStage) {
        return rcptHook(dataStage, client -> Pending.known(Optional.empty()));
    }

    /** The RCPT hook, clients' verified names looked up by {@code names}. */
    RcptGuardRcptHook rcptHook(DataStageRegistration dataStage, VerifiedNameResolver names) {
        fixture.deployment.dataStage(dataStage::isRegistered);
        // Every client known by its network: identities are proven against a real DNS server in the SMTP tests.
        return new RcptGuardRcptHook(fixture.policy, recorder, metricFactory, fixture.configuration,
            query -> Pending.known(ClientIdentity.network(fixture.configuration.clientNetworkOf(query.client()))), names);
    }

    RcptGuardDataHook dataHook(DataStageRegistration dataStage) {
        return new RcptGuardDataHook(dataStage, recorder, fixture.configuration);
    }

    static RcptGuardRcptHook rcptHook(PolicyFixture fixture, DataStageRegistration dataStage) {
        return new TestHooks(fixture).rcptHook(dataStage);
    }

    static RcptGuardDataHook dataHook(PolicyFixture fixture, DataStageRegistration dataStage) {
        return new TestHooks(fixture).dataHook(dataStage);
    }
}
