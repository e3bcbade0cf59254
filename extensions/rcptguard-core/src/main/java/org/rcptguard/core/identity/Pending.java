package org.rcptguard.core.identity;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A DNS evaluation started at MAIL FROM and awaited at the first RCPT, so its look-ups run while the client sends its
 * RCPT rather than after it: the client's identity, or its verified name. The bound counts from the start: at RCPT
 * only what is left of {@code identity.dns.timeout} is waited for, then the fallback (the client network, no name).
 * Once awaited, the answer is settled for as long as it is kept (every recipient of a transaction keyed alike), even
 * if a late evaluation ends afterwards. Awaited by the session's own thread only.
 *
 * @param <T> what is evaluated
 */
public final class Pending<T> {
    private final CompletableFuture<T> answer;
    private final T fallback;
    private final long deadlineNanos;
    private final Runnable onTimeout;
    private T settled;

    Pending(CompletableFuture<T> answer, T fallback, long deadlineNanos, Runnable onTimeout) {
        this.answer = answer;
        this.fallback = Objects.requireNonNull(fallback);
        this.deadlineNanos = deadlineNanos;
        this.onTimeout = onTimeout;
    }

    /** An answer known without evaluating anything. */
    public static <T> Pending<T> known(T answer) {
        return new Pending<>(CompletableFuture.completedFuture(answer), answer, System.nanoTime(), () -> { });
    }

    /** The evaluation's answer if it comes before the deadline, else the fallback. Never throws. */
    public T await() {
        if (settled == null) {
            settled = answerOrFallback();
        }
        return settled;
    }

    private T answerOrFallback() {
        try {
            return answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            onTimeout.run();
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        } catch (ExecutionException e) {
            return fallback;
        }
    }
}
