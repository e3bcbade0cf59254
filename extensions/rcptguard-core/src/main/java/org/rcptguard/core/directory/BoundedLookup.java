package org.rcptguard.core.directory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.LogText;
import org.rcptguard.core.RecipientDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lookups of external sources so that a slow or dead directory cannot stall the SMTP server:
 * <ul>
 *   <li><b>timeout</b>: a lookup that has not answered within it is UNDECIDED for the SMTP session, whatever the
 *       source does afterwards;</li>
 *   <li><b>bounded concurrency</b>: at most {@code maxConcurrent} lookups run at once, on this class's own threads;
 *       when all are busy (a directory outage) a lookup is UNDECIDED at once instead of queueing, so SMTP threads
 *       never pile up behind a dead directory.</li>
 * </ul>
 * What a lookup's time could tell a scanner it never hears: no reply before a triplet has passed waits for a lookup
 * (docs/design.md, "No oracle before greylisting").
 */
public final class BoundedLookup implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BoundedLookup.class);

    private final Duration timeout;
    private final Semaphore permits;
    private final ExecutorService executor;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong rejectedBusy = new AtomicLong();

    public BoundedLookup(Duration timeout, int maxConcurrent) {
        this.timeout = timeout;
        this.permits = new Semaphore(maxConcurrent);
        // The semaphore is taken before a task is submitted, so at most maxConcurrent run; the pool may hold twice as
        // many threads because a task releases its permit just before its thread is free again.
        this.executor = new ThreadPoolExecutor(0, 2 * maxConcurrent, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
            DaemonThreads.numbered("rcptguard-directory"));
    }

    /** The source's answer within the timeout; an UNDECIDED answer saying why on failure, timeout or overload. */
    public DirectoryAnswer lookUp(RecipientDirectory source, MailAddress address) {
        if (!permits.tryAcquire()) {
            rejectedBusy.incrementAndGet();
            LOGGER.warn("Directory busy ({} lookups in flight): {} is undecided", inFlight(), LogText.escape(address));
            return DirectoryAnswer.undecided(null, "directory busy");
        }
        // The permit is given back once: by the task when it ran, or by the caller when it cancelled the task before it
        // started (a cancelled task never runs, so its finally would never give the permit back).
        AtomicBoolean started = new AtomicBoolean();
        Future<DirectoryAnswer> future;
        try {
            future = executor.submit(() -> {
                if (!started.compareAndSet(false, true)) {
                    return DirectoryAnswer.undecided(null, "cancelled");
                }
                try {
                    return source.lookUp(address);
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            LOGGER.warn("Directory lookup of {} could not start: undecided", LogText.escape(address), e);
            return DirectoryAnswer.undecided(null, "lookup could not start: " + e);
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            timeouts.incrementAndGet();
            cancel(future, started);
            LOGGER.warn("Directory lookup of {} took longer than {} ms: undecided", LogText.escape(address), timeout.toMillis());
            return DirectoryAnswer.undecided(null, "timeout");
        } catch (ExecutionException e) {
            LOGGER.warn("Directory lookup of {} failed: undecided", LogText.escape(address), e.getCause());
            return DirectoryAnswer.undecided(null, "failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(future, started);
            return DirectoryAnswer.undecided(null, "interrupted");
        }
    }

    /** Cancels the task; if it had not started, it never will, and its permit is given back here. */
    private void cancel(Future<DirectoryAnswer> future, AtomicBoolean started) {
        future.cancel(true);
        if (started.compareAndSet(false, true)) {
            permits.release();
        }
    }

    /** Lookups running now, on this class's threads (at most {@code maxConcurrent}). */
    public int inFlight() {
        return ((ThreadPoolExecutor) executor).getActiveCount();
    }

    public long timeouts() {
        return timeouts.get();
    }

    /** Lookups answered UNDECIDED at once because {@code maxConcurrent} were already running. */
    public long rejectedBusy() {
        return rejectedBusy.get();
    }

    /** Stops the look-up threads: a look-up in progress is interrupted, and given its timeout to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
