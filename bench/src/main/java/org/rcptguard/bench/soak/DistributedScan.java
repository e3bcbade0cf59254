package org.rcptguard.bench.soak;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.rcptguard.bench.smtp.SmtpConnection;
import org.rcptguard.bench.smtp.SmtpReply;

/**
 * A scan spread over many client networks: one session from each /24 {@code 127.a.b.0/24} in turn (Linux answers on
 * all of 127.0.0.0/8), naming two unknown recipients, below any scan threshold, so that every network leaves its
 * traces in the store (network, triplets, unknown-recipient events) and none is penalised. Paced to cover its
 * networks over the given time; counts 451 replies, other replies and failed sessions.
 */
final class DistributedScan implements AutoCloseable {
    private static final int THREADS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final String domain;
    private final int networks;
    private final long nanosPerSession;
    private final long start = System.nanoTime();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong deferrals = new AtomicLong();
    private final AtomicLong otherReplies = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private DistributedScan(String host, int port, String domain, int networks, Duration over) {
        this.host = host;
        this.port = port;
        this.domain = domain;
        this.networks = networks;
        this.nanosPerSession = over.toNanos() / networks;
    }

    static DistributedScan start(String host, int port, String domain, int networks, Duration over) {
        DistributedScan scan = new DistributedScan(host, port, domain, networks, over);
        for (int i = 0; i < THREADS; i++) {
            Thread thread = new Thread(scan::scan, "scan-" + i);
            scan.threads.add(thread);
            thread.start();
        }
        return scan;
    }

    private void scan() {
        for (int network = next.getAndIncrement(); network < networks && !stopped; network = next.getAndIncrement()) {
            long due = start + network * nanosPerSession;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            probe(network);
        }
    }

    private void probe(int network) {
        String client = "127." + (network >> 8 & 255) + "." + (network & 255) + ".7";
        try (SmtpConnection connection = SmtpConnection.open(host, port, client, "scan" + network + ".example", TIMEOUT)) {
            connection.send("MAIL FROM:<probe" + network + "@scanner.example>");
            connection.readReply();
            for (int i = 0; i < 2; i++) {
                connection.send("RCPT TO:<nobody-" + network + "-" + i + "@" + domain + ">");
                SmtpReply reply = connection.readReply();
                (reply.code() == 451 ? deferrals : otherReplies).incrementAndGet();
            }
            connection.quit();
            sessions.incrementAndGet();
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    long sessions() {
        return sessions.get();
    }

    long deferrals() {
        return deferrals.get();
    }

    long otherReplies() {
        return otherReplies.get();
    }

    long failures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join();
        }
    }
}
