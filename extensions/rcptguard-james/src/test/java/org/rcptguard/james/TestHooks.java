package org.rcptguard.james;


import java.time.Instant;
import java.util.Properties;

import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.rcptguard.core.PolicyFixture;
import org.rcptguard.james.directory.RelayDomains;

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
        this.recorder = new DecisionRecorder(new DecisionLog(fixture.configuration, new RcptGuardNode("test-node", Instant.EPOCH)),
            counters, metrics);
        fixture.penaltyListeners.add(recorder);
    }

    RcptGuardRcptHook rcptHook(DataStageRegistration dataStage) {
        return new RcptGuardRcptHook(fixture.policy, dataStage, recorder, metricFactory, fixture.configuration,
            new RelayDomains(new RcptGuardProperties(new Properties()), null, () -> null));
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
