package org.rcptguard.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;

/**
 * SMTP steps of the tests on the Cassandra store, where a reply may be RcptGuard's store failure
 * ({@code 451 4.3.0}) while the store is degraded.
 */
final class StoreSmtp {
    /** The one deferral of an untrusted client, byte for byte. */
    static final String DEFERRAL = RcptGuardSmtpTest.DEFERRAL;

    private StoreSmtp() {
    }

    /** The reply to one RCPT in a transaction of its own. */
    static Reply rcpt(JamesServerProcess james, String source, String sender, String recipient) throws IOException {
        return Smtp.transaction(james, source, sender, recipient).get(0);
    }

    /** {@code 451 4.3.0}: RcptGuard could not reach its store (or the directory) and decided nothing. */
    static boolean isStoreFailure(Reply reply) {
        return reply.code() == 451 && reply.enhancedStatus().equals("4.3.0");
    }

    /**
     * Repeats the RCPT (one transaction each, 200 ms apart) while RcptGuard answers with a store failure, for at
     * most {@code timeout}; returns every reply, the last one being the first decision (or the last failure).
     */
    static List<Reply> untilDecided(JamesServerProcess james, String source, String sender, String recipient,
                                    Duration timeout) throws IOException, InterruptedException {
        return until(james, source, sender, recipient, timeout, reply -> !isStoreFailure(reply));
    }

    /** Repeats the RCPT (200 ms apart) until a reply satisfies {@code done}, for at most {@code timeout}. */
    static List<Reply> until(JamesServerProcess james, String source, String sender, String recipient,
                             Duration timeout, Predicate<Reply> done) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Reply> replies = new ArrayList<>();
        while (true) {
            Reply reply = rcpt(james, source, sender, recipient);
            replies.add(reply);
            if (done.test(reply) || System.nanoTime() - deadline > 0) {
                return replies;
            }
            Thread.sleep(200);
        }
    }

    static Reply last(List<Reply> replies) {
        return replies.get(replies.size() - 1);
    }

    /** The decision lines RcptGuard logged (logger org.rcptguard.decisions) for a client address and recipient. */
    static List<String> decisions(JamesServerProcess james, String client, String recipient) {
        List<String> lines = new ArrayList<>();
        james.log().lines()
            .filter(line -> line.contains("client=" + client + " "))
            .filter(line -> line.contains("recipient=<" + recipient + ">"))
            .forEach(lines::add);
        return lines;
    }

    /** The last decision line for a client address and recipient, or an empty string. */
    static String lastDecision(JamesServerProcess james, String client, String recipient) {
        List<String> lines = decisions(james, client, recipient);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /**
     * Waits until the client network of {@code client} is penalised: unknown recipients named before their triplet
     * passed are looked up in the background, so the penalty follows their deferrals by a few milliseconds.
     */
    static void awaitPenalised(JamesServerProcess james, String client) {
        RcptGuardAdmin admin = new RcptGuardAdmin(james);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
            admin.get("/rcptguard/networks/" + client).json().get("penalised").asBoolean());
    }

    static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
