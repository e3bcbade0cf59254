package org.rcptguard.bench.scan;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.rcptguard.bench.smtp.SmtpConnection;
import org.rcptguard.bench.smtp.SmtpReply;
import org.rcptguard.bench.smtp.Transaction;
import org.rcptguard.bench.smtp.TransactionOutcome;
import org.rcptguard.bench.smtp.TransactionRunner;

/**
 * A dictionary scanner: walks a candidate list with one {@link Strategy} against one SMTP server within a time
 * budget and keeps what the replies tell it. A 5xx at RCPT marks the address invalid; a 2xx marks it valid only once
 * the message went through (a server may accept at RCPT and refuse after DATA); a message refused after DATA marks
 * invalid its only accepted recipient, and teaches nothing when there were several. A 4xx teaches nothing: the address
 * stays on the list for the next pass. Its sources are the {@code 127.<base>.<n>.0/24} networks.
 */
public final class Scanner {
    private static final int TRANSACTIONS_PER_SESSION = 5;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    private final String host;
    private final int port;
    private final Strategy strategy;
    private final int networkBase;
    private final List<String> candidates;
    private final Set<String> valid;
    private final Duration retryDelay;
    private final Duration scanWindow;
    private final Map<String, Boolean> learned = new ConcurrentHashMap<>();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong brokenSessions = new AtomicLong();
    private final AtomicLong senderCounter = new AtomicLong();
    /** The network that names each candidate, by its place in the list: a retry comes from the network that named it. */
    private final Map<String, Integer> networkOf = new ConcurrentHashMap<>();
    /** When the scan started, and when it learned its first valid address (-1: not yet), in nanoseconds. */
    private volatile long startNanos;
    private final AtomicLong firstValidNanos = new AtomicLong(-1);

    /**
     * @param networkBase second octet of the scanner's source addresses (1–254), one per scanner run at once
     * @param valid       the candidates that are valid: the truth the scanner is scored against
     * @param retryDelay  how long the scanner waits before coming back for what it has not learned
     * @param scanWindow  the server's scan window, for the strategy that paces itself by it
     */
    public Scanner(String host, int port, Strategy strategy, int networkBase, List<String> candidates, Set<String> valid,
                   Duration retryDelay, Duration scanWindow) {
        if (networkBase < 1 || networkBase > 254) {
            throw new IllegalArgumentException("network base must be 1 to 254, got " + networkBase);
        }
        this.host = host;
        this.port = port;
        this.strategy = strategy;
        this.networkBase = networkBase;
        this.candidates = List.copyOf(candidates);
        this.valid = Set.copyOf(valid);
        this.retryDelay = retryDelay;
        this.scanWindow = scanWindow;
        for (int i = 0; i < this.candidates.size(); i++) {
            networkOf.put(this.candidates.get(i), i % strategy.networks());
        }
    }

    public ScanResult run(Duration budget) throws InterruptedException {
        long start = System.nanoTime();
        startNanos = start;
        long deadline = start + budget.toNanos();
        List<String> untried = new ArrayList<>(candidates);
        List<String> pending = new ArrayList<>();
        // The paced scanner brings new candidates in only once what it named last has left the window (plus a retry
        // delay of margin) and everything it named is learned.
        long pace = scanWindow.plus(retryDelay).toNanos();
        int paced = strategy.newCandidatesPerWindow();
        long lastNamed = start - pace;
        while ((!pending.isEmpty() || !untried.isEmpty()) && System.nanoTime() < deadline) {
            if (paced == 0 || pending.isEmpty() && System.nanoTime() - lastNamed >= pace) {
                List<String> batch = untried.subList(0, paced == 0 ? untried.size() : Math.min(paced, untried.size()));
                pending.addAll(batch);
                batch.clear();
            }
            if (!pending.isEmpty()) {
                scanPass(pending, deadline);
                lastNamed = System.nanoTime();
                pending.removeIf(learned::containsKey);
            }
            if (!strategy.retries()) {
                break;
            }
            long sleep = Math.min(retryDelay.toNanos(), deadline - System.nanoTime());
            if ((!pending.isEmpty() || !untried.isEmpty()) && sleep > 0) {
                Thread.sleep(sleep / 1_000_000);
            }
        }
        return result(Duration.ofNanos(System.nanoTime() - start));
    }

    private void scanPass(List<String> pending, long deadline) throws InterruptedException {
        List<List<Transaction>> sessionsOfPass = new ArrayList<>();
        for (int network = 0; network < strategy.networks(); network++) {
            List<String> share = new ArrayList<>();
            for (String candidate : pending) {
                if (networkOf.get(candidate) == network) {
                    share.add(candidate);
                }
            }
            List<Transaction> transactions = new ArrayList<>();
            for (int from = 0; from < share.size(); from += strategy.recipientsPerTransaction()) {
                int address = transactions.size() % strategy.addressesPerNetwork();
                transactions.add(new Transaction("127." + networkBase + "." + network + "." + (address + 1), sender(),
                    share.subList(from, Math.min(share.size(), from + strategy.recipientsPerTransaction()))));
            }
            if (strategy.addressesPerNetwork() > 1) {
                // each address its own session
                transactions.forEach(transaction -> sessionsOfPass.add(List.of(transaction)));
            } else {
                for (int from = 0; from < transactions.size(); from += TRANSACTIONS_PER_SESSION) {
                    sessionsOfPass.add(transactions.subList(from, Math.min(transactions.size(), from + TRANSACTIONS_PER_SESSION)));
                }
            }
        }
        if (strategy.parallelSessions() == 1) {
            sessionsOfPass.forEach(session -> sessionFrom(session, deadline));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(strategy.parallelSessions());
        sessionsOfPass.forEach(session -> pool.execute(() -> sessionFrom(session, deadline)));
        pool.shutdown();
        pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    private void sessionFrom(List<Transaction> transactions, long deadline) {
        if (System.nanoTime() >= deadline) {
            return;
        }
        sessions.incrementAndGet();
        commands.addAndGet(2); // EHLO, QUIT
        try (SmtpConnection connection = SmtpConnection.open(host, port, transactions.get(0).clientAddress(),
            "mail.scanner" + networkBase + ".example", REPLY_TIMEOUT)) {
            for (Transaction transaction : transactions) {
                if (System.nanoTime() >= deadline) {
                    break;
                }
                TransactionOutcome outcome = TransactionRunner.run(connection, transaction, true,
                    TransactionRunner.LatencySink.NONE);
                commands.addAndGet(transaction.recipients().size() + 3); // MAIL, RCPTs, DATA, message or RSET
                learn(transaction, outcome);
                if (outcome.closed()) {
                    brokenSessions.incrementAndGet();
                    return;
                }
            }
            connection.quit();
        } catch (IOException e) {
            brokenSessions.incrementAndGet();
        }
    }

    private void learn(Transaction transaction, TransactionOutcome outcome) {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < outcome.recipients().size(); i++) {
            SmtpReply reply = outcome.recipients().get(i);
            String recipient = transaction.recipients().get(i);
            if (reply.isPermanent()) {
                learned.put(recipient, false);
            } else if (reply.code() / 100 == 2) {
                accepted.add(recipient);
            }
        }
        if (outcome.messageAccepted()) {
            accepted.forEach(recipient -> learned.put(recipient, true));
            if (accepted.stream().anyMatch(valid::contains)) {
                firstValidNanos.compareAndSet(-1, System.nanoTime() - startNanos);
            }
        } else if (accepted.size() == 1 && outcome.message().map(SmtpReply::isPermanent).orElse(false)) {
            learned.put(accepted.get(0), false);
        }
    }

    private String sender() {
        return strategy.rotatingSenders()
            ? "s" + senderCounter.getAndIncrement() + "@scanner" + networkBase + ".example"
            : "scan@scanner" + networkBase + ".example";
    }

    private ScanResult result(Duration elapsed) {
        int learnedValid = 0;
        int learnedInvalid = 0;
        int wrong = 0;
        for (Map.Entry<String, Boolean> entry : learned.entrySet()) {
            boolean truth = valid.contains(entry.getKey());
            if (entry.getValue() != truth) {
                wrong++;
            } else if (truth) {
                learnedValid++;
            } else {
                learnedInvalid++;
            }
        }
        long firstValid = firstValidNanos.get();
        return new ScanResult(strategy, candidates.size(), valid.size(), learnedValid, learnedInvalid, wrong, sessions.get(),
            commands.get(), brokenSessions.get(), elapsed,
            firstValid < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(firstValid)));
    }
}
