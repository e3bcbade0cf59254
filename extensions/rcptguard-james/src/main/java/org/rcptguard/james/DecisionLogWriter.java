package org.rcptguard.james;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.rcptguard.core.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the decision log's lines to their logger from a thread of its own, in bursts every {@link #INTERVAL}: the SMTP
 * thread only queues a line, without waking anyone. (Measured in James: the decision log was about half of what
 * RcptGuard adds to a steady RCPT; on the SMTP thread, logback's event, its copy of James's MDC and the hand-off to
 * the asynchronous appender's thread, woken for each line, were about 4 of the decision's 15 µs.) Nothing is dropped:
 * past {@link #MAX_QUEUED} waiting lines, or once closed, the caller writes them itself, in order.
 */
final class DecisionLogWriter implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(20);
    static final int MAX_QUEUED = 50_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(DecisionLogWriter.class);

    private final Consumer<String> sink;
    private final int maxQueued;
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
        DaemonThreads.named("rcptguard-decision-log"));

    DecisionLogWriter(Consumer<String> sink) {
        this(sink, INTERVAL, MAX_QUEUED);
    }

    DecisionLogWriter(Consumer<String> sink, Duration interval, int maxQueued) {
        this.sink = sink;
        this.maxQueued = maxQueued;
        thread.scheduleWithFixedDelay(this::drain, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void write(String line) {
        lines.add(line);
        // Read after the line is queued, and close shuts the thread down before its last drain: a line is either
        // drained there or written here.
        if (queued.incrementAndGet() > maxQueued || thread.isShutdown()) {
            drain();
        }
    }

    /** Writes every queued line, oldest first. */
    synchronized void drain() {
        String line;
        while ((line = lines.poll()) != null) {
            queued.decrementAndGet();
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again: the next lines must still be written.
                LOGGER.warn("RcptGuard could not write a decision log line", e);
            }
        }
    }

    /** Writes what is queued; any later line is written by its caller. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(1, TimeUnit.SECONDS);
        drain();
    }
}
