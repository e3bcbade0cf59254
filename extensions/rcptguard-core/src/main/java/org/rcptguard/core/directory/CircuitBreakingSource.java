package org.rcptguard.core.directory;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops asking a source that is down. After {@code failures} consecutive failures (an exception, a timeout inside
 * the source, or UNDECIDED), the source is skipped for {@code coolDown}: its answer is UNDECIDED at once, so that an
 * outage costs no SMTP thread the lookup timeout. Then one lookup at a time is let through; its success closes the
 * breaker again.
 */
public final class CircuitBreakingSource implements RecipientSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(CircuitBreakingSource.class);

    private final String name;
    private final RecipientSource source;
    private final int failures;
    private final long coolDownNanos;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openUntil = new AtomicLong();
    private volatile boolean open;

    public CircuitBreakingSource(String name, RecipientSource source, int failures, Duration coolDown) {
        this.name = name;
        this.source = source;
        this.failures = failures;
        this.coolDownNanos = coolDown.toNanos();
    }

    @Override
    public RecipientClass classify(String address) throws Exception {
        return guarded(() -> source.classify(address), answer -> answer, RecipientClass.UNDECIDED);
    }

    /** As {@link #classify}, with the source's reason; a skipped source says so. Counts towards the breaker alike. */
    @Override
    public DirectoryAnswer explain(String address) throws Exception {
        return guarded(() -> source.explain(address), DirectoryAnswer::recipientClass,
            new DirectoryAnswer(RecipientClass.UNDECIDED, null, false, "source down: skipped after repeated failures"));
    }

    /** Asks the source unless the breaker is open, and counts its answer (or failure) towards the breaker. */
    private <T> T guarded(Callable<T> lookup, Function<T, RecipientClass> classOf, T skipped) throws Exception {
        if (open) {
            long until = openUntil.get();
            // After the cool-down, one caller moves the deadline on and tries; the others still skip.
            if (System.nanoTime() - until < 0 || !openUntil.compareAndSet(until, System.nanoTime() + coolDownNanos)) {
                return skipped;
            }
        }
        T answer;
        try {
            answer = lookup.call();
        } catch (Exception e) {
            failed();
            throw e;
        }
        if (classOf.apply(answer) == RecipientClass.UNDECIDED) {
            failed();
        } else {
            consecutiveFailures.set(0);
            if (open) {
                open = false;
                LOGGER.info("Recipient source {} answers again", name);
            }
        }
        return answer;
    }

    private void failed() {
        if (consecutiveFailures.incrementAndGet() >= failures && !open) {
            openUntil.set(System.nanoTime() + coolDownNanos);
            open = true;
            LOGGER.error("Recipient source {} failed {} times in a row: its recipients are deferred without asking it "
                + "for {} ms at a time, until it answers again", name, failures, coolDownNanos / 1_000_000);
        }
    }

    /** Whether the source is being skipped as down (for a health check). */
    public boolean isOpen() {
        return open;
    }

    public String name() {
        return name;
    }
}
