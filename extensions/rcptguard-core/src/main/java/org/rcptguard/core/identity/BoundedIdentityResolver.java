package org.rcptguard.core.identity;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the identity evaluation, because it waits on DNS servers the sender controls and James runs SMTP hooks on its
 * I/O threads. The evaluation starts at MAIL FROM on this class's own threads and the first RCPT awaits what is left of
 * its bound ({@link PendingIdentity}): one that has not answered within {@code identity.dns.timeout} of its start gives
 * the client network, and at most {@code identity.max.concurrent} run at once (one that timed out, or whose
 * transaction was reset, counts until its DNS look-ups give up); beyond that the client network at once, so a flood of
 * clients with slow DNS cannot hold the SMTP server. A late answer is dropped. Logs name the client address only: sender addresses are logged, or hashed, by the
 * decision log alone.
 */
public final class BoundedIdentityResolver implements IdentityResolver, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BoundedIdentityResolver.class);

    private final IdentityRules rules;
    private final long timeoutNanos;
    private final Semaphore permits;
    private final ExecutorService executor;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong rejectedBusy = new AtomicLong();

    /** Neither SPF nor forward-confirmed reverse DNS: every client is its network, with no thread hop. */
    private final boolean evaluates;

    public BoundedIdentityResolver(IdentityRules rules, IdentitySettings settings) {
        this.rules = rules;
        this.timeoutNanos = settings.timeout().toNanos();
        this.evaluates = settings.spf() || settings.fcrdns();
        this.permits = new Semaphore(settings.maxConcurrent());
        AtomicInteger threadNumber = new AtomicInteger();
        // The permit bounds the evaluations, not the pool: a thread is free again only a moment after it released its
        // permit, and a bounded pool would refuse the next evaluation in that moment. No queue: the SMTP thread never
        // waits behind slow DNS.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "rcptguard-identity-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public PendingIdentity start(IdentityQuery query) {
        ClientIdentity network = rules.networkOf(query.client());
        if (!evaluates) {
            return PendingIdentity.known(network);
        }
        if (!permits.tryAcquire()) {
            rejectedBusy.incrementAndGet();
            LOGGER.warn("Identity evaluations all busy: client {} is known by its network", query.client().getHostAddress());
            return PendingIdentity.known(network);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        CompletableFuture<ClientIdentity> answer = new CompletableFuture<>();
        try {
            // Never cancelled (not on timeout, not when the transaction is reset): the permit is released only when
            // the evaluation has really ended, so a permit can neither leak nor be handed out twice.
            executor.execute(() -> {
                ClientIdentity identity;
                try {
                    identity = rules.resolve(query);
                } catch (RuntimeException e) {
                    permits.release();
                    LOGGER.warn("Identity of client {} failed: known by its network", query.client().getHostAddress(), e);
                    answer.complete(network);
                    return;
                }
                // Released before the answer wakes the caller, whose next transaction may then start at once.
                permits.release();
                answer.complete(identity);
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            LOGGER.warn("Identity evaluation for client {} could not start: known by its network", query.client().getHostAddress(), e);
            return PendingIdentity.known(network);
        }
        return new PendingIdentity(answer, network, deadline, () -> {
            timeouts.incrementAndGet();
            LOGGER.info("Identity of client {} not resolved within {} ms: known by its network", query.client().getHostAddress(),
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        });
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
