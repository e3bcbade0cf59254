package org.rcptguard.core;

import java.util.concurrent.TimeUnit;

import org.apache.james.core.MailAddress;

/**
 * Promise 3 in time: a reply that must not tell the recipient's class (a greylisting or penalty deferral, the only
 * replies an untrusted client gets before its triplet passed) is sent no sooner than the directory's reply floor after
 * the decision started, whether the lookup answered VALID or INVALID, from a cache or a slow backend, or failed at
 * once. A passed triplet's reply tells the class anyway: it goes at the directory's speed, so the floor holds an SMTP
 * thread only for clients that are still greylisted or penalised.
 */
public final class ReplyFloor {
    private final RecipientDirectory directory;

    public ReplyFloor(RecipientDirectory directory) {
        this.directory = directory;
    }

    /** Waits, if {@code decision} hides the recipient's class, until the floor after {@code startNanos} is reached. */
    public void hold(Decision decision, MailAddress recipient, long startNanos) {
        if (!decision.hidesRecipientClass()) {
            return;
        }
        long remaining = directory.replyFloor(recipient).toNanos() - (System.nanoTime() - startNanos);
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
