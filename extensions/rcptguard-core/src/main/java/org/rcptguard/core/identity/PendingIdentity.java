package org.rcptguard.core.identity;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An identity evaluation started at MAIL FROM and awaited at the transaction's first RCPT, so its DNS look-ups run
 * while the client sends its RCPT rather than after it. The bound counts from the start: at RCPT only what is left of
 * {@code identity.dns.timeout} is waited for, then the client network. Once awaited, the answer is settled for the
 * rest of the transaction (every recipient keyed alike), even if a late evaluation ends afterwards. Awaited by the
 * session's own thread only.
 */
public final class PendingIdentity {
    private final CompletableFuture<ClientIdentity> answer;
    private final ClientIdentity network;
    private final long deadlineNanos;
    private final Runnable onTimeout;
    private ClientIdentity settled;

    PendingIdentity(CompletableFuture<ClientIdentity> answer, ClientIdentity network, long deadlineNanos, Runnable onTimeout) {
        this.answer = answer;
        this.network = Objects.requireNonNull(network);
        this.deadlineNanos = deadlineNanos;
        this.onTimeout = onTimeout;
    }

    /** An identity known without evaluating anything. */
    public static PendingIdentity known(ClientIdentity identity) {
        return new PendingIdentity(CompletableFuture.completedFuture(identity), identity, System.nanoTime(), () -> { });
    }

    /** The identity: the evaluation's answer if it comes before the deadline, else the client network. Never throws. */
    public ClientIdentity await() {
        if (settled == null) {
            settled = answerOrNetwork();
        }
        return settled;
    }

    private ClientIdentity answerOrNetwork() {
        try {
            return answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            onTimeout.run();
            return network;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return network;
        } catch (ExecutionException e) {
            return network;
        }
    }
}
