package org.rcptguard.james;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.rcptguard.core.Decision;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptGuardMode;

/**
 * RcptGuard's metrics, through James's {@link MetricFactory} and {@link GaugeRegistry}, so that James's
 * {@code /metrics} route (MetricsRoutes, Prometheus text format) exports them. Dots become underscores there and
 * counters get {@code _total}: {@code rcptguard.rcpt.outcome.DEFER} is {@code rcptguard_rcpt_outcome_DEFER_total}.
 *
 * <ul>
 * <li>{@value #OUTCOME_PREFIX}{@code <OUTCOME>}, {@value #REASON_PREFIX}{@code <REASON>}: RCPT decisions (in observe
 * mode, the decisions RcptGuard would have applied); every one exists from start-up, at 0.</li>
 * <li>{@value #PENALTIES}: penalties imposed or raised; {@value #DATA_REJECTIONS}: transactions refused after DATA;
 * {@value #BACKGROUND_LOOKUPS_DROPPED}: recipient look-ups for scan detection dropped because their domain's background
 * queue was full.</li>
 * <li>timers (seconds, as summaries with quantiles): {@value #DECISION_TIMER} per RCPT, {@code rcptguard.store.*} per
 * store call, {@code rcptguard.directory.*} per directory lookup, {@value #WHITELIST_REFRESH_TIMER}.</li>
 * <li>{@value #WHITELIST_REFRESH_FAILURES}; gauges {@value #OBSERVE_MODE_GAUGE} (1 in observe mode),
 * {@value #WHITELIST_ENTRIES_GAUGE} and {@value #WHITELIST_AGE_GAUGE} (seconds since the last successful
 * refresh).</li>
 * <li>{@value #VERIFICATION_CACHE_HITS} and {@value #VERIFICATION_CACHE_MISSES}: look-ups of the SMTP verification
 * cache (addresses and backends' catch-all status); {@value #CATCH_ALL_DETECTIONS}: backends newly found accepting any
 * address; gauge {@value #CATCH_ALL_DOMAINS_GAUGE}: domains whose backend is currently flagged catch-all (on this
 * node).</li>
 * <li>{@value #CASSANDRA_REQUESTS}: statements RcptGuard's own Cassandra session executed, failed ones included
 * (not counted with {@code cassandra.session=james}: James's session is not RcptGuard's to instrument).</li>
 * <li>Distributed harvests: gauge {@value #HARVEST_DOMAINS_GAUGE}, the domains under harvest as this node sees them;
 * {@value #HARVEST_STARTS}, harvests this node saw start; {@value #HARVEST_DECISIONS}, RCPT decisions taken under a
 * harvest's response; timer {@value #HARVEST_REFRESH_TIMER}.</li>
 * <li>The Cassandra store's triplet filter: gauges {@value #TRIPLET_FILTER_ANSWERING_GAUGE} (1 while it answers first
 * contacts without a read: scanned and current; 0 before its scan or while it cannot read the other nodes'
 * publications) and {@value #TRIPLET_FILTER_ENTRIES_GAUGE}.</li>
 * <li>The Cassandra store's penalty changes: gauge {@value #PENALTY_CHANGES_CURRENT_GAUGE} (1 while this node reads the
 * other nodes' announcements, so serves a client network's state for up to 10 s; 0 while it cannot: 1 s).</li>
 * </ul>
 */
@Singleton
public class RcptGuardMetrics {
    public static final String OUTCOME_PREFIX = "rcptguard.rcpt.outcome.";
    public static final String REASON_PREFIX = "rcptguard.rcpt.reason.";
    public static final String PENALTIES = "rcptguard.penalties";
    public static final String DATA_REJECTIONS = "rcptguard.data.rejections";
    public static final String BACKGROUND_LOOKUPS_DROPPED = "rcptguard.directory.background.dropped";
    public static final String DECISION_TIMER = "rcptguard.rcpt.decision";
    public static final String WHITELIST_REFRESH_TIMER = "rcptguard.whitelist.refresh";
    public static final String WHITELIST_REFRESH_FAILURES = "rcptguard.whitelist.refresh.failures";
    public static final String OBSERVE_MODE_GAUGE = "rcptguard.mode.observe";
    public static final String WHITELIST_ENTRIES_GAUGE = "rcptguard.whitelist.entries";
    public static final String WHITELIST_AGE_GAUGE = "rcptguard.whitelist.age.seconds";
    public static final String VERIFICATION_CACHE_HITS = "rcptguard.directory.cache.hits";
    public static final String VERIFICATION_CACHE_MISSES = "rcptguard.directory.cache.misses";
    public static final String CATCH_ALL_DETECTIONS = "rcptguard.directory.catchall.detections";
    public static final String CATCH_ALL_DOMAINS_GAUGE = "rcptguard.directory.catchall.domains";
    public static final String CASSANDRA_REQUESTS = "rcptguard.cassandra.requests";
    public static final String HARVEST_DOMAINS_GAUGE = "rcptguard.harvest.domains";
    public static final String HARVEST_STARTS = "rcptguard.harvest.starts";
    public static final String HARVEST_DECISIONS = "rcptguard.rcpt.harvest";
    public static final String HARVEST_REFRESH_TIMER = "rcptguard.harvest.refresh";
    public static final String TRIPLET_FILTER_ANSWERING_GAUGE = "rcptguard.triplet.filter.answering";
    public static final String TRIPLET_FILTER_ENTRIES_GAUGE = "rcptguard.triplet.filter.entries";
    public static final String PENALTY_CHANGES_CURRENT_GAUGE = "rcptguard.penalty.changes.current";

    private final MetricFactory metricFactory;
    private final GaugeRegistry gaugeRegistry;
    private final Map<Outcome, Metric> outcomes = new EnumMap<>(Outcome.class);
    private final Map<Reason, Metric> reasons = new EnumMap<>(Reason.class);
    private final Metric penalties;
    private final Metric dataRejections;
    private final Metric backgroundLookupsDropped;
    private final Metric whitelistRefreshFailures;
    private final Metric verificationCacheHits;
    private final Metric verificationCacheMisses;
    private final Metric catchAllDetections;
    private final Metric cassandraRequests;
    private final Metric harvestStarts;
    private final Metric harvestDecisions;

    @Inject
    public RcptGuardMetrics(MetricFactory metricFactory, GaugeRegistry gaugeRegistry, RcptGuardConfiguration configuration) {
        this.metricFactory = metricFactory;
        this.gaugeRegistry = gaugeRegistry;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, metricFactory.generate(OUTCOME_PREFIX + outcome.name()));
        }
        for (Reason reason : Reason.values()) {
            reasons.put(reason, metricFactory.generate(REASON_PREFIX + reason.name()));
        }
        this.penalties = metricFactory.generate(PENALTIES);
        this.dataRejections = metricFactory.generate(DATA_REJECTIONS);
        this.backgroundLookupsDropped = metricFactory.generate(BACKGROUND_LOOKUPS_DROPPED);
        this.whitelistRefreshFailures = metricFactory.generate(WHITELIST_REFRESH_FAILURES);
        this.verificationCacheHits = metricFactory.generate(VERIFICATION_CACHE_HITS);
        this.verificationCacheMisses = metricFactory.generate(VERIFICATION_CACHE_MISSES);
        this.catchAllDetections = metricFactory.generate(CATCH_ALL_DETECTIONS);
        this.cassandraRequests = metricFactory.generate(CASSANDRA_REQUESTS);
        this.harvestStarts = metricFactory.generate(HARVEST_STARTS);
        this.harvestDecisions = metricFactory.generate(HARVEST_DECISIONS);
        int observing = configuration.mode() == RcptGuardMode.OBSERVE ? 1 : 0;
        gaugeRegistry.register(OBSERVE_MODE_GAUGE, () -> observing);
    }

    public void record(Decision decision) {
        outcomes.get(decision.outcome()).increment();
        reasons.get(decision.reason()).increment();
        if (decision.isUnderHarvest()) {
            harvestDecisions.increment();
        }
    }

    public void recordHarvestStart() {
        harvestStarts.increment();
    }

    /** Registers the gauge of the domains under harvest, as this node sees them. */
    public void registerHarvestGauge(Supplier<Integer> domains) {
        gaugeRegistry.register(HARVEST_DOMAINS_GAUGE, domains::get);
    }

    public void recordPenalty() {
        penalties.increment();
    }

    public void recordDroppedBackgroundLookup() {
        backgroundLookupsDropped.increment();
    }

    public void recordDataRejection() {
        dataRejections.increment();
    }

    public void recordWhitelistRefreshFailure() {
        whitelistRefreshFailures.increment();
    }

    public void recordVerificationCacheLookup(boolean hit) {
        (hit ? verificationCacheHits : verificationCacheMisses).increment();
    }

    public void recordCassandraRequest() {
        cassandraRequests.increment();
    }

    public void recordCatchAllDetection() {
        catchAllDetections.increment();
    }

    /** Registers the gauges of the Cassandra store's triplet filter: whether it answers (1 or 0) and its entries. */
    public void registerTripletFilterGauges(Supplier<Integer> answering, Supplier<Integer> entries) {
        gaugeRegistry.register(TRIPLET_FILTER_ANSWERING_GAUGE, answering::get);
        gaugeRegistry.register(TRIPLET_FILTER_ENTRIES_GAUGE, entries::get);
    }

    /** Registers the gauge of the Cassandra store's penalty changes: whether this node reads them now (1 or 0). */
    public void registerPenaltyChangesGauge(Supplier<Integer> current) {
        gaugeRegistry.register(PENALTY_CHANGES_CURRENT_GAUGE, current::get);
    }

    /** Registers the gauge of the domains whose backend is currently flagged catch-all. */
    public void registerCatchAllGauge(Supplier<Integer> domains) {
        gaugeRegistry.register(CATCH_ALL_DOMAINS_GAUGE, domains::get);
    }

    /** Registers the gauges of the run-time whitelist: its entry count and the age of its snapshot in seconds. */
    public void registerWhitelistGauges(Supplier<Integer> entries, Supplier<Long> ageSeconds) {
        gaugeRegistry.register(WHITELIST_ENTRIES_GAUGE, entries::get);
        gaugeRegistry.register(WHITELIST_AGE_GAUGE, ageSeconds::get);
    }

    public <T> T time(String name, Supplier<T> operation) {
        return metricFactory.decorateSupplierWithTimerMetric(name, operation);
    }

    public void time(String name, Runnable operation) {
        metricFactory.runPublishingTimerMetric(name, operation);
    }

    /** Times an asynchronous call from now until its future completes, successfully or not. */
    public <T> CompletableFuture<T> timeAsync(String name, Supplier<CompletableFuture<T>> operation) {
        TimeMetric timer = metricFactory.timer(name);
        try {
            return operation.get().whenComplete((result, error) -> timer.stopAndPublish());
        } catch (RuntimeException e) {
            timer.stopAndPublish();
            throw e;
        }
    }
}
