package org.rcptguard.core.identity;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the identity evaluation and the verified name's look-up, because they wait on DNS servers the sender controls
 * and James runs SMTP hooks on its I/O threads. Both start at MAIL FROM on this class's own threads and the first RCPT
 * awaits what is left of their bound ({@link Pending}): one that has not answered within {@code identity.dns.timeout}
 * of its start gives its fallback (the client network, no name), and at most {@code identity.max.concurrent} run at
 * once, both kinds together (one that timed out, or whose transaction was reset, counts until its DNS look-ups give
 * up); beyond that the fallback at once, so a flood of clients with slow DNS cannot hold the SMTP server. A late answer
 * is dropped. Logs name the client address only: sender addresses are logged, or hashed, by the decision log alone.
 */
public final class BoundedIdentityResolver implements IdentityResolver, VerifiedNameResolver, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BoundedIdentityResolver.class);

    private final IdentityRules rules;
    private final long timeoutNanos;
    private final Semaphore permits;
    private final ExecutorService executor;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong rejectedBusy = new AtomicLong();
    private final ThrottledWarning busyWarning = new ThrottledWarning();

    /** Neither SPF nor forward-confirmed reverse DNS: every client is its network, with no thread hop. */
    private final boolean evaluates;

    public BoundedIdentityResolver(IdentityRules rules, IdentitySettings settings) {
        this.rules = rules;
        this.timeoutNanos = settings.timeout().toNanos();
        this.evaluates = settings.spf() || settings.fcrdns();
        this.permits = new Semaphore(settings.maxConcurrent());
        // The permit bounds the evaluations, not the pool: a thread is free again only a moment after it released its
        // permit, and a bounded pool would refuse the next evaluation in that moment. No queue: the SMTP thread never
        // waits behind slow DNS.
        this.executor = Executors.newCachedThreadPool(DaemonThreads.numbered("rcptguard-identity"));
    }

    @Override
    public Pending<ClientIdentity> start(IdentityQuery query) {
        ClientIdentity network = rules.networkOf(query.client());
        if (!evaluates) {
            return Pending.known(network);
        }
        return bounded(query.client(), "identity", () -> rules.resolve(query), network, "known by its network");
    }

    @Override
    public Pending<Optional<String>> startVerifiedName(InetAddress client) {
        return bounded(client, "verified name", () -> rules.verifiedName(client), Optional.empty(), "no name");
    }

    private <T> Pending<T> bounded(InetAddress client, String what, Supplier<T> evaluation, T fallback, String fallbackText) {
        String address = client.getHostAddress();
        if (!permits.tryAcquire()) {
            rejectedBusy.incrementAndGet();
            long sinceLine = busyWarning.occurred();
            if (sinceLine > 0) {
                // a burst of first contacts does this for each transaction: one line a minute, not one per transaction
                LOGGER.warn("Identity evaluations all busy (identity.max.concurrent): {} look-ups not started in the last"
                    + " minute, the latest the {} of client {}, {}", sinceLine, what, address, fallbackText);
            }
            return Pending.known(fallback);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            // Never cancelled (not on timeout, not when the transaction is reset): the permit is released only when
            // the evaluation has really ended, so a permit can neither leak nor be handed out twice.
            executor.execute(() -> {
                T result;
                try {
                    result = evaluation.get();
                } catch (RuntimeException e) {
                    permits.release();
                    LOGGER.warn("The {} of client {} failed: {}", what, address, fallbackText, e);
                    answer.complete(fallback);
                    return;
                }
                // Released before the answer wakes the caller, whose next transaction may then start at once.
                permits.release();
                answer.complete(result);
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            LOGGER.warn("The {} of client {} could not start: {}", what, address, fallbackText, e);
            return Pending.known(fallback);
        }
        return new Pending<>(answer, fallback, deadline, () -> {
            timeouts.incrementAndGet();
            LOGGER.info("The {} of client {} was not resolved within {} ms: {}", what, address,
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos), fallbackText);
        });
    }

    /** Evaluations and name look-ups that ran out of time since start. */
    public long timeouts() {
        return timeouts.get();
    }

    /** Evaluations and name look-ups not started because {@code identity.max.concurrent} were running. */
    public long rejectedBusy() {
        return rejectedBusy.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
