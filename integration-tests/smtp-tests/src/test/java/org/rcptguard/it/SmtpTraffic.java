package org.rcptguard.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;

/**
 * SMTP traffic against one James node while a test breaks something underneath it: a few concurrent sessions
 * (one worker thread per source address), each running transactions {@code MAIL FROM, RCPT TO, RSET} in turn for
 * the four {@link Kind kinds} of recipient, and recording every RCPT reply with its latency.
 *
 * <p>The passed triplets ({@code passedSender} to {@code validRecipient} and to {@code unknownRecipient}) must have
 * passed greylisting before the traffic starts, for the network of the source addresses. New triplets get a sender
 * never used before (letters only: numeric VERP parts are normalised away). Only one unknown recipient is ever
 * named, so the traffic itself never counts as a scan.
 *
 * <p>{@link #promiseViolations} checks RcptGuard's promises on what was recorded: never a 5xx for a valid recipient,
 * never a 2xx for an unknown one, the same temporary reply for every triplet that has not passed, no SMTP error.
 */
final class SmtpTraffic implements AutoCloseable {
    /** What a RCPT names. */
    enum Kind {
        PASSED_VALID(true, true),
        PASSED_UNKNOWN(false, true),
        NEW_VALID(true, false),
        NEW_UNKNOWN(false, false);

        final boolean valid;
        final boolean passed;

        Kind(boolean valid, boolean passed) {
            this.valid = valid;
            this.passed = passed;
        }
    }

    /** One RCPT reply (or the SMTP failure instead of it). Times are {@link System#nanoTime()} values. */
    static final class Observation {
        final String node;
        final String source;
        final Kind kind;
        final String sender;
        final String recipient;
        final long startNanos;
        final long endNanos;
        final Reply reply;
        final String error;

        Observation(String node, String source, Kind kind, String sender, String recipient, long startNanos,
                    long endNanos, Reply reply, String error) {
            this.node = node;
            this.source = source;
            this.kind = kind;
            this.sender = sender;
            this.recipient = recipient;
            this.startNanos = startNanos;
            this.endNanos = endNanos;
            this.reply = reply;
            this.error = error;
        }

        long latencyMillis() {
            return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
        }

        int code() {
            return reply == null ? -1 : reply.code();
        }

        /** Reply code and enhanced status, e.g. {@code 451 4.3.0}, or {@code error}. */
        String outcome() {
            return reply == null ? "error" : (reply.code() + " " + reply.enhancedStatus()).trim();
        }

        boolean isTransient() {
            return reply != null && reply.isTransientNegative();
        }

        @Override
        public String toString() {
            return node + " " + source + " " + kind + " " + sender + " -> <" + recipient + ">: "
                + (reply == null ? "error " + error : reply.toString()) + " in " + latencyMillis() + " ms";
        }
    }

    private static final AtomicLong NEW_SENDERS = new AtomicLong();
    private static final int TRANSACTIONS_PER_SESSION = 8;

    private final String node;
    private final JamesServerProcess james;
    private final String passedSender;
    private final String validRecipient;
    private final String unknownRecipient;
    private final long pauseBetweenTransactionsMillis;
    private final List<Observation> observations = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    private SmtpTraffic(String node, JamesServerProcess james, String passedSender, String validRecipient,
                        String unknownRecipient, long pauseBetweenTransactionsMillis) {
        this.node = node;
        this.james = james;
        this.passedSender = passedSender;
        this.validRecipient = validRecipient;
        this.unknownRecipient = unknownRecipient;
        this.pauseBetweenTransactionsMillis = pauseBetweenTransactionsMillis;
    }

    /**
     * Starts one worker per source address.
     *
     * @param node             a name for reports, e.g. {@code james-A}
     * @param passedSender     e.g. {@code <traffic@sender.example>}, passed to both recipients for these sources
     */
    static SmtpTraffic start(String node, JamesServerProcess james, List<String> sources, String passedSender,
                             String validRecipient, String unknownRecipient) {
        SmtpTraffic traffic = new SmtpTraffic(node, james, passedSender, validRecipient, unknownRecipient, 50);
        for (String source : sources) {
            Thread worker = new Thread(() -> traffic.run(source), "smtp-traffic-" + node + "-" + source);
            worker.setDaemon(true);
            traffic.workers.add(worker);
        }
        traffic.workers.forEach(Thread::start);
        return traffic;
    }

    /** Stops the workers after their current command (at most a read timeout later) and returns everything seen. */
    List<Observation> stop() {
        running = false;
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return observations();
    }

    @Override
    public void close() {
        stop();
    }

    /** Everything recorded so far, in completion order. */
    List<Observation> observations() {
        return new ArrayList<>(observations);
    }

    /** The replies to RCPTs sent at or after {@code fromNanos} and before {@code toNanos}. */
    List<Observation> sentBetween(long fromNanos, long toNanos) {
        return observations.stream()
            .filter(o -> o.startNanos - fromNanos >= 0 && o.startNanos - toNanos < 0)
            .collect(Collectors.toList());
    }

    /** The replies to RCPTs sent before {@code nanos}. */
    List<Observation> sentBefore(long nanos) {
        return observations.stream().filter(o -> o.startNanos - nanos < 0).collect(Collectors.toList());
    }

    /** The replies to RCPTs sent at or after {@code nanos}. */
    List<Observation> sentFrom(long nanos) {
        return observations.stream().filter(o -> o.startNanos - nanos >= 0).collect(Collectors.toList());
    }

    /** The RCPTs sent and answered between {@code fromNanos} and {@code toNanos}. */
    List<Observation> answeredWithin(long fromNanos, long toNanos) {
        return observations.stream()
            .filter(o -> o.startNanos - fromNanos >= 0 && o.endNanos - toNanos <= 0)
            .collect(Collectors.toList());
    }

    private void run(String source) {
        int turn = 0;
        while (running) {
            try (SmtpClient client = new SmtpClient()) {
                client.connect("127.0.0.1", james.smtpPort(), source);
                client.ehlo("traffic.example");
                for (int i = 0; i < TRANSACTIONS_PER_SESSION && running; i++) {
                    Kind kind = Kind.values()[turn++ % Kind.values().length];
                    transaction(client, source, kind);
                    pause(pauseBetweenTransactionsMillis);
                }
                client.quit();
            } catch (IOException | RuntimeException e) {
                long now = System.nanoTime();
                observations.add(new Observation(node, source, null, null, null, now, now, null, e.toString()));
                pause(200);
            }
        }
    }

    private void transaction(SmtpClient client, String source, Kind kind) throws IOException {
        String sender = kind.passed ? passedSender : "<n" + letters(NEW_SENDERS.incrementAndGet()) + "@traffic.example>";
        String recipient = kind.valid ? validRecipient : unknownRecipient;
        Reply mail = client.mailFrom(sender);
        if (mail.code() != 250) {
            long now = System.nanoTime();
            observations.add(new Observation(node, source, kind, sender, recipient, now, now, null,
                "MAIL FROM answered " + mail));
            client.rset();
            return;
        }
        long start = System.nanoTime();
        Reply reply = client.rcptTo(recipient);
        long end = System.nanoTime();
        observations.add(new Observation(node, source, kind, sender, recipient, start, end, reply, null));
        client.rset();
    }

    /** 1 -> "b", 26 -> "ba", ...: unique, and without digits (a sender's numeric parts are normalised to #). */
    static String letters(long n) {
        StringBuilder s = new StringBuilder();
        do {
            s.append((char) ('a' + (n % 26)));
            n /= 26;
        } while (n > 0);
        return s.reverse().toString();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * RcptGuard's promises on a set of replies, whatever state the store is in: no SMTP failure, never a 5xx for a
     * valid recipient, never a 2xx for an unknown one, and a triplet that has not passed gets a 4xx whatever its
     * recipient. Returns the violations (empty when kept).
     */
    static List<String> promiseViolations(Collection<Observation> observations) {
        return violations(observations, o -> {
            if (o.reply == null) {
                return "no reply: " + o.error;
            }
            if (o.kind.valid && o.reply.isPermanentNegative()) {
                return "a 5xx for a valid recipient";
            }
            if (!o.kind.valid && o.reply.isPositiveCompletion()) {
                return "a 2xx for an unknown recipient";
            }
            if (!o.kind.passed && !o.reply.isTransientNegative()) {
                return "not a 4xx for a triplet that has not passed";
            }
            if (o.reply.code() != 250 && o.reply.code() != 550 && !o.reply.isTransientNegative()) {
                return "an unexpected reply";
            }
            return null;
        });
    }

    /** Observations for which {@code problem} names a problem, described. */
    static List<String> violations(Collection<Observation> observations, Function<Observation, String> problem) {
        List<String> violations = new ArrayList<>();
        for (Observation o : observations) {
            String p = problem.apply(o);
            if (p != null) {
                violations.add(p + ": " + o);
            }
        }
        return violations;
    }

    /**
     * A few lines for the test output: per kind, the count of each reply ({@code 250}, {@code 451 4.3.0}, ...);
     * latencies (p50, p95, max).
     */
    static String summary(String title, Collection<Observation> observations) {
        Map<Kind, Map<String, Integer>> byKind = new EnumMap<>(Kind.class);
        int errors = 0;
        for (Observation o : observations) {
            if (o.kind == null || o.reply == null) {
                errors++;
                continue;
            }
            byKind.computeIfAbsent(o.kind, k -> new TreeMap<>()).merge(o.outcome(), 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder(title).append(": ").append(observations.size()).append(" RCPT");
        if (errors > 0) {
            s.append(", ").append(errors).append(" errors");
        }
        s.append(", latency ").append(latencies(observations));
        byKind.forEach((kind, outcomes) -> s.append("\n    ").append(kind).append(' ').append(outcomes));
        return s.toString();
    }

    /** {@code p50 N ms, p95 N ms, max N ms} over the replies that arrived. */
    static String latencies(Collection<Observation> observations) {
        List<Long> sorted = observations.stream().filter(o -> o.reply != null).map(Observation::latencyMillis)
            .sorted(Comparator.naturalOrder()).collect(Collectors.toList());
        if (sorted.isEmpty()) {
            return "n/a";
        }
        return "p50 " + percentile(sorted, 50) + " ms, p95 " + percentile(sorted, 95) + " ms, max "
            + sorted.get(sorted.size() - 1) + " ms";
    }

    private static long percentile(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
