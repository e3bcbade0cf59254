package org.rcptguard.core.identity;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the identity evaluation, because it waits on DNS servers the sender controls and James runs SMTP hooks on its
 * I/O threads: an evaluation that has not answered within {@code identity.dns.timeout} gives the client network, and at
 * most {@code identity.max.concurrent} run at once on this class's own threads; beyond that the client network at once,
 * so a flood of clients with slow DNS cannot hold the SMTP server. A late answer is dropped.
 */
public final class BoundedIdentityResolver implements IdentityResolver, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BoundedIdentityResolver.class);

    private final IdentityRules rules;
    private final long timeoutNanos;
    private final ExecutorService executor;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong rejectedBusy = new AtomicLong();

    public BoundedIdentityResolver(IdentityRules rules, IdentitySettings settings) {
        this.rules = rules;
        this.timeoutNanos = settings.timeout().toNanos();
        AtomicInteger threadNumber = new AtomicInteger();
        // No queue: a busy pool rejects at once rather than making the SMTP thread wait behind slow DNS.
        this.executor = new ThreadPoolExecutor(0, settings.maxConcurrent(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "rcptguard-identity-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public ClientIdentity resolve(IdentityQuery query) {
        Future<ClientIdentity> future;
        try {
            future = executor.submit(() -> rules.resolve(query));
        } catch (RejectedExecutionException e) {
            rejectedBusy.incrementAndGet();
            LOGGER.warn("Identity evaluations all busy: {} is known by its network", query);
            return rules.networkOf(query.client());
        }
        try {
            ClientIdentity identity = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            return identity == null ? rules.networkOf(query.client()) : identity;
        } catch (TimeoutException e) {
            timeouts.incrementAndGet();
            future.cancel(true);
            LOGGER.info("Identity of {} not resolved within {} ms: known by its network", query, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            return rules.networkOf(query.client());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return rules.networkOf(query.client());
        } catch (ExecutionException | RuntimeException e) {
            LOGGER.warn("Identity of {} failed: known by its network", query, e);
            return rules.networkOf(query.client());
        }
    }

    /** Evaluations that ran out of time since start. */
    public long timeouts() {
        return timeouts.get();
    }

    /** Evaluations not started because {@code identity.max.concurrent} were running. */
    public long rejectedBusy() {
        return rejectedBusy.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
