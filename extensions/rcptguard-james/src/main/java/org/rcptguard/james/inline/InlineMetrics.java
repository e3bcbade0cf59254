package org.rcptguard.james.inline;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;

/**
 * In-line delivery's metrics: {@value #OUTCOME_PREFIX}{@code <OUTCOME>} per relay ({@code DELIVERED},
 * {@code REJECTED} (the backend's 5xx), {@code STALE_RECIPIENT}, {@code DEFERRED} (its 4xx), {@code UNREACHABLE},
 * {@code LOST}, {@code BUSY}: the last three are backend errors), every one from start-up at 0; the timer
 * {@value #RELAY_TIMER} per relay, from connect to the backend's last reply.
 */
@Singleton
public class InlineMetrics {
    public static final String OUTCOME_PREFIX = "rcptguard.inline.outcome.";
    public static final String RELAY_TIMER = "rcptguard.inline.relay";

    private final MetricFactory metricFactory;
    private final Map<RelayOutcome.Kind, Metric> outcomes = new EnumMap<>(RelayOutcome.Kind.class);

    @Inject
    public InlineMetrics(MetricFactory metricFactory) {
        this.metricFactory = metricFactory;
        for (RelayOutcome.Kind kind : RelayOutcome.Kind.values()) {
            outcomes.put(kind, metricFactory.generate(OUTCOME_PREFIX + kind.name()));
        }
    }

    void record(RelayOutcome.Kind kind) {
        outcomes.get(kind).increment();
    }

    RelayOutcome timed(Supplier<RelayOutcome> relay) {
        TimeMetric timer = metricFactory.timer(RELAY_TIMER);
        try {
            RelayOutcome outcome = relay.get();
            record(outcome.kind());
            return outcome;
        } finally {
            timer.stopAndPublish();
        }
    }
}
