package org.rcptguard.james;

import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;

/**
 * Counts the statements of RcptGuard's own Cassandra session ({@value RcptGuardMetrics#CASSANDRA_REQUESTS}): each
 * request once, when it succeeds or finally fails, whatever its retries. Divided by the RCPT decisions, it is the
 * cost per RCPT an operator sizes Cassandra with.
 */
final class CassandraRequestCounter implements RequestTracker {
    private final RcptGuardMetrics metrics;

    CassandraRequestCounter(RcptGuardMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node, String logPrefix) {
        metrics.recordCassandraRequest();
    }

    @Override
    public void onError(Request request, Throwable error, long latencyNanos, DriverExecutionProfile profile, Node node,
                        String logPrefix) {
        metrics.recordCassandraRequest();
    }

    @Override
    public void close() {
    }
}
