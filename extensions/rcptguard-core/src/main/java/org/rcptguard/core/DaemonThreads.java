package org.rcptguard.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of RcptGuard's own pools: daemons, so that none of them holds James's JVM up at shutdown, and named
 * {@code rcptguard-...}, so that a thread dump shows whose they are.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Every thread named {@code name}: for a pool of one thread, or of a few doing the same thing. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ...: for a pool that grows and shrinks. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + count.incrementAndGet());
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
