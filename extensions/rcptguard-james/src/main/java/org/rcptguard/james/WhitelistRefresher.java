package org.rcptguard.james;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.SharedWhitelist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the run-time whitelist every {@code whitelist.refresh} on a daemon thread of its own (until James stops), so that a change made
 * through any node applies on this one within that time. A failure keeps the last snapshot and is logged once per
 * streak (and counted in {@value RcptGuardMetrics#WHITELIST_REFRESH_FAILURES}).
 */
final class WhitelistRefresher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(WhitelistRefresher.class);

    private final SharedWhitelist whitelist;
    private final RcptGuardMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private boolean failing;

    private WhitelistRefresher(SharedWhitelist whitelist, RcptGuardMetrics metrics) {
        this.whitelist = whitelist;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rcptguard-whitelist-refresh"));
    }

    /** Reads the whitelist once now, then every {@code period}. */
    static WhitelistRefresher start(SharedWhitelist whitelist, RcptGuardMetrics metrics, Duration period, Clock clock) {
        WhitelistRefresher refresher = new WhitelistRefresher(whitelist, metrics);
        metrics.registerWhitelistGauges(() -> whitelist.entries().size(),
            () -> whitelist.refreshedAt().map(at -> Duration.between(at, clock.instant()).getSeconds()).orElse(-1L));
        refresher.refresh();
        refresher.scheduler.scheduleWithFixedDelay(refresher::refresh, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return refresher;
    }

    synchronized void refresh() {
        try {
            metrics.time(RcptGuardMetrics.WHITELIST_REFRESH_TIMER, whitelist::refresh);
            if (failing) {
                LOGGER.info("RcptGuard run-time whitelist read again: {} entries", whitelist.entries().size());
            }
            failing = false;
        } catch (RuntimeException e) {
            metrics.recordWhitelistRefreshFailure();
            if (!failing) {
                LOGGER.warn("RcptGuard could not read its run-time whitelist; keeping the last one read ({} entries) until it can",
                    whitelist.entries().size(), e);
            }
            failing = true;
        }
    }

    /** Stops the refresh thread, waiting a little for a refresh in progress. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
