package org.rcptguard.cassandra;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.rcptguard.core.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes whose result the SMTP reply does not need, completing after the reply: at most {@code maxInFlight} at
 * once; beyond that the caller waits for its own write, so that none is ever dropped. A failed write is counted and
 * logged; it is never one a pass depends on (see {@link NearCachedTripletStore}).
 */
final class DeferredWrites implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DeferredWrites.class);

    private final int maxInFlight;
    private final Semaphore inFlight;
    private final AtomicLong failures = new AtomicLong();

    DeferredWrites(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Starts {@code write} of {@code subject} (named in the log if it fails); returns at once while fewer than {@code maxInFlight} are in flight, else when it is done.
     * {@code done} runs when the write ends, failed or not.
     */
    void submit(Object subject, Supplier<CompletableFuture<?>> write, Runnable done) {
        boolean deferred = inFlight.tryAcquire();
        CompletableFuture<?> written;
        try {
            written = write.get();
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<?> completed = written.whenComplete((ignored, failure) -> {
            if (deferred) {
                inFlight.release();
            }
            done.run();
            if (failure != null) {
                long count = failures.incrementAndGet();
                // One line, no stack trace: during an outage every first contact fails this way.
                LOGGER.warn("RcptGuard could not record {} after the reply ({} such failures so far): {}", LogText.escape(subject), count,
                    failure.toString());
            }
        });
        if (!deferred) {
            completed.exceptionally(failure -> null).join();
        }
    }

    /** Waits a bounded time for the writes in flight. */
    @Override
    public void close() throws InterruptedException {
        Duration wait = Duration.ofSeconds(5);
        if (inFlight.tryAcquire(maxInFlight, wait.toMillis(), TimeUnit.MILLISECONDS)) {
            inFlight.release(maxInFlight);
        } else {
            LOGGER.warn("RcptGuard stopped with deferred writes still in flight after {}", wait);
        }
    }
}
