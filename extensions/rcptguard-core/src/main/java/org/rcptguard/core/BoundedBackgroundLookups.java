package org.rcptguard.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background look-ups with bounded threads and a bounded queue per recipient domain (so a slow backend holds only its
 * own domain's look-ups), served round-robin between client networks. When a domain's queue is full, the network with
 * the most queued look-ups loses its newest one to a network with fewer; a network already holding the most loses
 * its own. Each dropped look-up is counted ({@link #dropped()}, the listener) and logged at most once a minute:
 * a dropped look-up is an unknown recipient scan detection did not count, never a reply that waited.
 */
public final class BoundedBackgroundLookups implements BackgroundLookups, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BoundedBackgroundLookups.class);
    /** How long a worker waits for more look-ups before it ends: at most the delay a queued look-up waits for it. */
    private static final Duration LINGER = Duration.ofMillis(5);

    private final int threadsPerDomain;
    private final int queuePerDomain;
    private final Runnable onDrop;
    private final long lingerMillis;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final ThrottledWarning droppedWarning = new ThrottledWarning();

    /** @param onDrop told of each dropped look-up (a metric) */
    public BoundedBackgroundLookups(int threadsPerDomain, int queuePerDomain, Runnable onDrop) {
        this(threadsPerDomain, queuePerDomain, onDrop, LINGER);
    }

    BoundedBackgroundLookups(int threadsPerDomain, int queuePerDomain, Runnable onDrop, Duration linger) {
        if (threadsPerDomain < 1 || queuePerDomain < 1) {
            throw new IllegalArgumentException("background look-ups need a thread and a queue slot per domain");
        }
        this.threadsPerDomain = threadsPerDomain;
        this.queuePerDomain = queuePerDomain;
        this.onDrop = onDrop;
        this.lingerMillis = linger.toMillis();
    }

    @Override
    public void submit(String domain, ClientNetwork network, Runnable lookup) {
        lanes.computeIfAbsent(domain, Lane::new).submit(network, lookup);
    }

    /** Look-ups dropped since this node started. */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        lanes.values().forEach(lane -> lane.workers.shutdownNow());
    }

    private void drop(String domain) {
        dropped.increment();
        onDrop.run();
        long droppedSinceLine = droppedWarning.occurred();
        if (droppedSinceLine > 0) {
            LOGGER.warn("RcptGuard dropped {} background recipient look-ups in the last minute (latest for {}): their"
                + " unknown recipients were not counted for scan detection", droppedSinceLine, domain);
        }
    }

    /**
     * One domain's queue and threads. While a domain's queue holds look-ups, at least one worker is running; a worker
     * that finds the queue empty lingers {@link #LINGER} (5 ms) for more before it ends, so that under a steady stream
     * the callers hand look-ups over without waking a thread each time (profiled: one thread wake-up per RCPT of an
     * auto-whitelisted client), while a look-up into an idle domain still starts at once. A caller starts another worker,
     * up to the domain's threads, when none lingers: all are in a look-up (a slow backend gets every thread).
     */
    private final class Lane {
        private final String domain;
        private final Map<ClientNetwork, ArrayDeque<Runnable>> queues = new LinkedHashMap<>();
        private final ThreadPoolExecutor workers;
        private int size;
        /** Workers started and not ended, and of those the ones lingering for a look-up (the others are in one). */
        private int active;
        private int lingering;

        Lane(String domain) {
            this.domain = domain;
            this.workers = new ThreadPoolExecutor(threadsPerDomain, threadsPerDomain, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.numbered("rcptguard-lookup-" + domain));
            // Idle domains cost no thread.
            workers.allowCoreThreadTimeOut(true);
        }

        void submit(ClientNetwork network, Runnable lookup) {
            boolean queued;
            boolean startWorker = false;
            synchronized (this) {
                ArrayDeque<Runnable> own = queues.computeIfAbsent(network, key -> new ArrayDeque<>());
                if (size < queuePerDomain) {
                    own.addLast(lookup);
                    size++;
                    queued = true;
                    startWorker = claimWorker();
                } else {
                    queued = false;
                    Map.Entry<ClientNetwork, ArrayDeque<Runnable>> longest = longest();
                    if (longest.getValue().size() > own.size()) {
                        // The newcomer takes the place of the longest queue's newest look-up.
                        longest.getValue().removeLast();
                        if (longest.getValue().isEmpty()) {
                            queues.remove(longest.getKey());
                        }
                        own.addLast(lookup);
                    } else if (own.isEmpty()) {
                        queues.remove(network);
                    }
                }
            }
            if (startWorker) {
                workers.execute(this::work);
            }
            if (!queued) {
                drop(domain);
            }
        }

        /** Counts a worker to start for what is queued, unless one lingers to take it or the domain has no thread left. */
        private boolean claimWorker() {
            if (active < threadsPerDomain && lingering == 0) {
                active++;
                return true;
            }
            return false;
        }

        private Map.Entry<ClientNetwork, ArrayDeque<Runnable>> longest() {
            Map.Entry<ClientNetwork, ArrayDeque<Runnable>> longest = null;
            for (Map.Entry<ClientNetwork, ArrayDeque<Runnable>> queue : queues.entrySet()) {
                if (longest == null || queue.getValue().size() > longest.getValue().size()) {
                    longest = queue;
                }
            }
            return longest;
        }

        private void work() {
            Runnable next = null;
            try {
                while ((next = take()) != null) {
                    try {
                        next.run();
                    } catch (RuntimeException e) {
                        LOGGER.warn("RcptGuard background look-up for {} failed", domain, e);
                    }
                }
            } finally {
                if (next != null) {
                    // An Error ended this worker in a look-up: what is queued still needs one.
                    boolean replace;
                    synchronized (this) {
                        active--;
                        replace = size > 0 && claimWorker();
                    }
                    if (replace) {
                        workers.execute(this::work);
                    }
                }
            }
        }

        /** The next look-up, lingering for one if the queue is empty; null when none came: the worker then ends. */
        private Runnable take() {
            synchronized (this) {
                if (size > 0) {
                    return next();
                }
                lingering++;
            }
            try {
                Thread.sleep(lingerMillis);
            } catch (InterruptedException e) {
                // Closing: what is queued is not looked up.
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                lingering--;
                if (size > 0 && !Thread.currentThread().isInterrupted()) {
                    return next();
                }
                active--;
                return null;
            }
        }

        /** The oldest look-up of the network served longest ago; that network goes to the back of the round. */
        private Runnable next() {
            Iterator<Map.Entry<ClientNetwork, ArrayDeque<Runnable>>> first = queues.entrySet().iterator();
            Map.Entry<ClientNetwork, ArrayDeque<Runnable>> entry = first.next();
            first.remove();
            Runnable next = entry.getValue().removeFirst();
            if (!entry.getValue().isEmpty()) {
                queues.put(entry.getKey(), entry.getValue());
            }
            size--;
            return next;
        }
    }
}
