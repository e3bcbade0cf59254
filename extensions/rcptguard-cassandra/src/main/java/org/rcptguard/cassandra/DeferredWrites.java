package org.rcptguard.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.rcptguard.core.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes whose result the SMTP reply does not need, completing after the reply, sent together: at most
 * {@code maxBatchesInFlight} requests at once, each carrying up to {@code maxBatch} writes. A write that finds a
 * request free goes at once, alone; writes that arrive while every request is busy wait in a queue and leave
 * together with the next request that ends, so under load one request carries many writes (Cassandra's cost of a
 * request is mostly per request, not per row) and without load none waits. At most {@code maxPending} writes wait
 * or fly at once; beyond that the caller waits for its own write, so that none is ever dropped. A failed write is
 * counted and logged; it is never one a pass depends on (see {@link NearCachedTripletStore}).
 *
 * @param <W> a write, as {@code send} takes it
 */
final class DeferredWrites<W> implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DeferredWrites.class);

    private final Function<List<W>, CompletableFuture<?>> send;
    private final int maxPending;
    private final int maxBatch;
    private final int maxBatchesInFlight;
    private final Semaphore pending;
    private final Queue<Pending<W>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger batchesInFlight = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();

    /** @param send sends its writes as one request; a list of one is a single write */
    DeferredWrites(Function<List<W>, CompletableFuture<?>> send, int maxPending, int maxBatch, int maxBatchesInFlight) {
        this.send = send;
        this.maxPending = maxPending;
        this.maxBatch = maxBatch;
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.pending = new Semaphore(maxPending);
    }

    /**
     * Queues {@code write} of {@code subject} (named in the log if it fails); returns at once while fewer than
     * {@code maxPending} are pending, else when it is done. {@code done} runs when the write ends, failed or not.
     */
    void submit(Object subject, W write, Runnable done) {
        Pending<W> entry = new Pending<>(subject, write, done, pending.tryAcquire());
        queue.add(entry);
        sendQueued();
        if (!entry.deferred) {
            entry.ended.join();
        }
    }

    /** Sends what is queued while a request is free. Whoever frees a request (or finds one free) sends. */
    private void sendQueued() {
        while (!queue.isEmpty()) {
            int inFlight = batchesInFlight.get();
            if (inFlight >= maxBatchesInFlight) {
                return; // the request that ends next sends what is queued
            }
            if (!batchesInFlight.compareAndSet(inFlight, inFlight + 1)) {
                continue;
            }
            List<Pending<W>> batch = new ArrayList<>(maxBatch);
            for (Pending<W> next = queue.poll(); next != null; next = batch.size() < maxBatch ? queue.poll() : null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                batchesInFlight.decrementAndGet(); // another thread took them; look again
                continue;
            }
            sent(batch).whenComplete((ignored, failure) -> {
                batchesInFlight.decrementAndGet();
                batch.forEach(entry -> end(entry, failure));
                sendQueued();
            });
        }
    }

    private CompletableFuture<?> sent(List<Pending<W>> batch) {
        List<W> writes = new ArrayList<>(batch.size());
        batch.forEach(entry -> writes.add(entry.write));
        try {
            return send.apply(writes);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void end(Pending<W> entry, Throwable failure) {
        if (entry.deferred) {
            pending.release();
        }
        try {
            entry.done.run();
        } finally {
            entry.ended.complete(null);
        }
        if (failure != null) {
            long count = failures.incrementAndGet();
            // One line, no stack trace: during an outage every first contact fails this way.
            LOGGER.warn("RcptGuard could not record {} after the reply ({} such failures so far): {}", LogText.escape(entry.subject),
                count, failure.toString());
        }
    }

    /** Waits a bounded time for the writes pending. */
    @Override
    public void close() throws InterruptedException {
        Duration wait = Duration.ofSeconds(5);
        if (pending.tryAcquire(maxPending, wait.toMillis(), TimeUnit.MILLISECONDS)) {
            pending.release(maxPending);
        } else {
            LOGGER.warn("RcptGuard stopped with deferred writes still pending after {}", wait);
        }
    }

    private static final class Pending<W> {
        private final Object subject;
        private final W write;
        private final Runnable done;
        private final boolean deferred;
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        private Pending(Object subject, W write, Runnable done, boolean deferred) {
            this.subject = subject;
            this.write = write;
            this.done = done;
            this.deferred = deferred;
        }
    }
}
