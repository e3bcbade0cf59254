package org.rcptguard.bench.smtp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Many concurrent SMTP sessions over loopback for a bounded time: each worker opens a session from the scenario's
 * client address, runs its transactions (pipelined where offered), says QUIT and starts the next, until the time is
 * up. Counts RCPT replies by class, messages accepted, sessions and broken sessions; keeps every RCPT reply latency.
 */
public final class LoadGenerator {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final TrafficModel model;
    private final int sessions;
    private final int transactionsPerSession;

    public LoadGenerator(String host, int port, TrafficModel model, int sessions, int transactionsPerSession) {
        if (sessions < 1 || transactionsPerSession < 1) {
            throw new IllegalArgumentException("sessions and transactions per session must be at least 1");
        }
        this.host = host;
        this.port = port;
        this.model = model;
        this.sessions = sessions;
        this.transactionsPerSession = transactionsPerSession;
    }

    /** Runs the scenario for {@code duration} (sessions under way at the end finish their transaction). */
    public LoadResult run(Scenario scenario, Duration duration, long seed) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Worker> workers = new ArrayList<>(sessions);
        List<Thread> threads = new ArrayList<>(sessions);
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            Worker worker = new Worker(scenario, deadline, new Random(seed * 1_000_003 + i));
            workers.add(worker);
            Thread thread = new Thread(worker, "load-" + i);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        LatencyRecorder latencies = new LatencyRecorder();
        long accepted = 0;
        long deferred = 0;
        long rejected = 0;
        long messages = 0;
        long transactions = 0;
        long opened = 0;
        long errors = 0;
        for (Worker worker : workers) {
            latencies.addAll(worker.latencies);
            accepted += worker.accepted;
            deferred += worker.deferred;
            rejected += worker.rejected;
            messages += worker.messages;
            transactions += worker.transactions;
            opened += worker.sessions;
            errors += worker.errors;
        }
        return new LoadResult(elapsed, accepted, deferred, rejected, messages, transactions, opened, errors, latencies);
    }

    /**
     * Makes the steady state's triplets pass on a greylisting server: sends every warm-up transaction, waits the
     * greylisting delay, sends them again, and checks that a third round is accepted throughout. Returns the number
     * of recipients still not accepted in that check (0 when the server is warm).
     */
    public long warmUp(Duration greylistDelay) throws IOException, InterruptedException {
        List<Transaction> transactions = model.warmUpTransactions(10);
        send(transactions);
        Thread.sleep(greylistDelay.toMillis() + 1000);
        send(transactions);
        return send(transactions);
    }

    private long send(List<Transaction> transactions) throws IOException {
        long notAccepted = 0;
        for (Transaction transaction : transactions) {
            try (SmtpConnection connection = open(transaction.clientAddress())) {
                TransactionOutcome outcome = TransactionRunner.run(connection, transaction, false,
                    TransactionRunner.LatencySink.NONE);
                notAccepted += outcome.recipients().stream().filter(reply -> reply.code() / 100 != 2).count();
                connection.quit();
            }
        }
        return notAccepted;
    }

    private SmtpConnection open(String clientAddress) throws IOException {
        return SmtpConnection.open(host, port, clientAddress, "client.bench.example", REPLY_TIMEOUT);
    }

    private final class Worker implements Runnable {
        private final Scenario scenario;
        private final long deadline;
        private final Random random;
        private final LatencyRecorder latencies = new LatencyRecorder();
        private long accepted;
        private long deferred;
        private long rejected;
        private long messages;
        private long transactions;
        private long sessions;
        private long errors;

        Worker(Scenario scenario, long deadline, Random random) {
            this.scenario = scenario;
            this.deadline = deadline;
            this.random = random;
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                List<Transaction> session = model.session(scenario, transactionsPerSession, random);
                sessions++;
                try (SmtpConnection connection = open(session.get(0).clientAddress())) {
                    for (Transaction transaction : session) {
                        TransactionOutcome outcome = TransactionRunner.run(connection, transaction, true, latencies::record);
                        count(outcome);
                        if (outcome.closed()) {
                            throw new IOException("closed by the server");
                        }
                        if (System.nanoTime() >= deadline) {
                            break;
                        }
                    }
                    connection.quit();
                } catch (IOException e) {
                    errors++;
                }
            }
        }

        private void count(TransactionOutcome outcome) {
            if (outcome.mail().isPresent()) {
                transactions++;
            }
            for (SmtpReply reply : outcome.recipients()) {
                if (reply.code() / 100 == 2) {
                    accepted++;
                } else if (reply.isTransient()) {
                    deferred++;
                } else {
                    rejected++;
                }
            }
            if (outcome.messageAccepted()) {
                messages++;
            }
        }
    }

    /**
     * {@code LoadGenerator HOST PORT SCENARIO [SESSIONS [SECONDS [GREYLIST_DELAY_SECONDS]]]}: one run against any
     * server, after a warm-up when a greylisting delay is given.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LoadGenerator HOST PORT steady|first-contact|scan|mixed [SESSIONS [SECONDS [GREYLIST_DELAY_SECONDS]]]");
            System.exit(2);
        }
        TrafficModel model = TrafficModel.standard("example.com");
        LoadGenerator generator = new LoadGenerator(args[0], Integer.parseInt(args[1]), model,
            args.length > 3 ? Integer.parseInt(args[3]) : 32, 5);
        if (args.length > 5) {
            System.out.println("warm-up: " + generator.warmUp(Duration.ofSeconds(Long.parseLong(args[5])))
                + " recipients not accepted after it");
        }
        Duration duration = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 20);
        System.out.println(generator.run(Scenario.parse(args[2]), duration, 1));
    }
}
