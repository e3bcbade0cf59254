package org.rcptguard.cassandra;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;

/**
 * Counts the requests a session sends (each success or failure of a request, whatever its retries) and the
 * attempts on nodes (a retry or speculative execution would make these exceed the requests).
 */
final class CountingRequestTracker implements RequestTracker {
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger nodeAttempts = new AtomicInteger();
    private final List<Long> latenciesNanos = new CopyOnWriteArrayList<>();

    @Override
    public void onSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node, String logPrefix) {
        requests.incrementAndGet();
        latenciesNanos.add(latencyNanos);
    }

    @Override
    public void onError(Request request, Throwable error, long latencyNanos, DriverExecutionProfile profile, Node node,
                        String logPrefix) {
        requests.incrementAndGet();
        latenciesNanos.add(latencyNanos);
    }

    @Override
    public void onNodeSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node, String logPrefix) {
        nodeAttempts.incrementAndGet();
    }

    @Override
    public void onNodeError(Request request, Throwable error, long latencyNanos, DriverExecutionProfile profile, Node node,
                            String logPrefix) {
        nodeAttempts.incrementAndGet();
    }

    int requests() {
        return requests.get();
    }

    int nodeAttempts() {
        return nodeAttempts.get();
    }

    List<Long> latenciesNanos() {
        return List.copyOf(latenciesNanos);
    }

    void reset() {
        requests.set(0);
        nodeAttempts.set(0);
        latenciesNanos.clear();
    }

    @Override
    public void close() {
    }
}
