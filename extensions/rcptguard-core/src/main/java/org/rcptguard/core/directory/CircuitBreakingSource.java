package org.rcptguard.core.directory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops asking a source that is down. After {@code failures} consecutive failures (an exception, a timeout inside
 * the source, or UNDECIDED), the source is skipped for {@code coolDown}: its answer is UNDECIDED at once, so that an
 * outage costs no SMTP thread the lookup timeout. Then one lookup at a time is let through; its success closes the
 * breaker again.
 */
public final class CircuitBreakingSource implements RecipientDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(CircuitBreakingSource.class);
    private static final DirectoryAnswer SKIPPED = DirectoryAnswer.undecided(null, "source down: skipped after repeated failures");

    private final String name;
    private final RecipientDirectory source;
    private final int failures;
    private final long coolDownNanos;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openUntil = new AtomicLong();
    private volatile boolean open;

    public CircuitBreakingSource(String name, RecipientDirectory source, int failures, Duration coolDown) {
        this.name = name;
        this.source = source;
        this.failures = failures;
        this.coolDownNanos = coolDown.toNanos();
    }

    /** Asks the source unless the breaker is open, and counts its answer (or failure) towards the breaker. */
    @Override
    public DirectoryAnswer lookUp(MailAddress address) throws Exception {
        if (open) {
            long until = openUntil.get();
            // After the cool-down, one caller moves the deadline on and tries; the others still skip.
            if (System.nanoTime() - until < 0 || !openUntil.compareAndSet(until, System.nanoTime() + coolDownNanos)) {
                return SKIPPED;
            }
        }
        DirectoryAnswer answer;
        try {
            answer = source.lookUp(address);
        } catch (Exception e) {
            failed();
            throw e;
        }
        if (answer.recipientClass() == RecipientClass.UNDECIDED) {
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
