package org.rcptguard.james;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.harvest.DomainHarvest;
import org.rcptguard.core.harvest.HarvestState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes this node's harvest state every {@code harvest.refresh} on a daemon thread of its own (until James
 * stops), as {@link WhitelistRefresher} does the whitelist: the RCPT path reads the snapshot only. Logs each harvest
 * that starts or ends here and counts the starts ({@value RcptGuardMetrics#HARVEST_STARTS}). A failure keeps the last
 * snapshot, whose harvests end by themselves, and is logged once per streak.
 */
final class HarvestRefresher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(HarvestRefresher.class);

    private final HarvestState state;
    private final RcptGuardMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private Set<String> on = Set.of();
    private boolean failing;

    private HarvestRefresher(HarvestState state, RcptGuardMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rcptguard-harvest-refresh"));
    }

    /** Refreshes every {@code period}, the first time after one period (nothing was probed through this node yet). */
    static HarvestRefresher start(HarvestState state, RcptGuardMetrics metrics, Duration period) {
        HarvestRefresher refresher = new HarvestRefresher(state, metrics);
        metrics.registerHarvestGauge(() -> state.harvests().size());
        refresher.scheduler.scheduleWithFixedDelay(refresher::refresh, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return refresher;
    }

    synchronized void refresh() {
        try {
            metrics.time(RcptGuardMetrics.HARVEST_REFRESH_TIMER, state::refresh);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOGGER.warn("RcptGuard could not read the harvest tallies; keeping the last harvest state until it can", e);
            }
            failing = true;
        }
        Map<String, DomainHarvest> harvests = state.harvests();
        harvests.forEach((domain, harvest) -> {
            if (!on.contains(domain)) {
                metrics.recordHarvestStart();
                LOGGER.warn("RcptGuard: {} is under harvest ({} distinct unknown recipients from {} networks within the window):"
                    + " networks without reputation get the harvest's scan threshold and delay",
                    domain, harvest.tally().unknownRecipients(), harvest.tally().clientNetworks());
            }
        });
        on.stream().filter(domain -> !harvests.containsKey(domain))
            .forEach(domain -> LOGGER.info("RcptGuard: the harvest of {} ended", domain));
        on = Set.copyOf(harvests.keySet());
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
