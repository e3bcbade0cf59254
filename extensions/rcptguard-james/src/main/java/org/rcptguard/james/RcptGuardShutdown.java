package org.rcptguard.james;

import java.util.ArrayDeque;
import java.util.Deque;

import javax.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops what RcptGuard started (its threads, pools and own Cassandra session) when James stops. James runs the
 * {@code @PreDestroy} methods of the objects its injector constructs, the extensions' child injector included, from
 * its shutdown hook; objects made by {@code @Provides} methods are not among them, so those register here.
 */
public final class RcptGuardShutdown {
    private static final Logger LOGGER = LoggerFactory.getLogger(RcptGuardShutdown.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** {@code closeable} is closed when James stops, after everything registered later. */
    public synchronized <T extends AutoCloseable> T closeOnStop(T closeable) {
        started.push(closeable);
        return closeable;
    }

    @PreDestroy
    public synchronized void stop() {
        while (!started.isEmpty()) {
            AutoCloseable closeable = started.pop();
            try {
                closeable.close();
            } catch (Exception e) {
                LOGGER.warn("RcptGuard could not stop {}", closeable, e);
            }
        }
    }
}
