package org.rcptguard.bench.scan;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.rcptguard.bench.smtp.SmtpConnection;
import org.rcptguard.bench.smtp.SmtpReply;
import org.rcptguard.bench.smtp.Transaction;
import org.rcptguard.bench.smtp.TransactionOutcome;
import org.rcptguard.bench.smtp.TransactionRunner;

/**
 * The legitimate background beside a scan: every {@code interval} a new first-contact sender, from a network of its
 * own, writes to a valid recipient (or, for a share of them, to a mistyped address) and retries after
 * {@code retry} like an MTA until its message is accepted or refused. It measures what a defence against
 * harvests costs legitimate mail: the first-contact delay, and whether a valid recipient was ever refused or a
 * typo accepted. Its sources are the {@code 127.<90..99>.<n>.1} addresses.
 */
final class LegitimateSenders {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
    private static final int FIRST_BASE = 90;
    /** One /24 each in 127.90.0.0 to 127.99.255.0: below the scanners' 127.100 and up. */
    private static final int MAX_SENDERS = 10 * 256;

    private final String host;
    private final int port;
    private final List<String> valid;
    private final Duration interval;
    private final double typoShare;
    private final Duration retry;
    private final Random random = new Random(14);
    private final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger typosRefused = new AtomicInteger();
    private final AtomicInteger typosAccepted = new AtomicInteger();
    private final AtomicInteger validRefused = new AtomicInteger();
    private final AtomicInteger undelivered = new AtomicInteger();

    LegitimateSenders(String host, int port, List<String> valid, Duration interval, double typoShare, Duration retry) {
        this.host = host;
        this.port = port;
        this.valid = List.copyOf(valid);
        this.interval = interval;
        this.typoShare = typoShare;
        this.retry = retry;
    }

    /** Starts senders until a retry before the budget ends, and lets each retry until the budget ends. */
    Result run(Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        long lastStart = deadline - retry.multipliedBy(2).toNanos();
        ExecutorService senders = Executors.newCachedThreadPool();
        int started = 0;
        int typos = 0;
        for (; System.nanoTime() < lastStart && started < MAX_SENDERS; started++) {
            boolean typo = random.nextDouble() < typoShare;
            typos += typo ? 1 : 0;
            String recipient = typo ? "typo" + started + "@" + ScanSimulation.DOMAIN : valid.get(started % valid.size());
            String client = "127." + (FIRST_BASE + started / 256) + "." + (started % 256) + ".1";
            String sender = "news@first-contact" + started + ".example";
            senders.execute(() -> deliver(new Transaction(client, sender, List.of(recipient)), !typo, deadline));
            Thread.sleep(interval.toMillis());
        }
        senders.shutdown();
        senders.awaitTermination(budget.toMillis() + REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return new Result(started, typos, List.copyOf(delays), validRefused.get(), typosRefused.get(), typosAccepted.get(),
            undelivered.get());
    }

    private void deliver(Transaction transaction, boolean toValid, long deadline) {
        long first = System.nanoTime();
        while (System.nanoTime() < deadline) {
            try (SmtpConnection connection = SmtpConnection.open(host, port, transaction.clientAddress(),
                "mail." + transaction.sender().substring(transaction.sender().indexOf('@') + 1), REPLY_TIMEOUT)) {
                TransactionOutcome outcome = TransactionRunner.run(connection, transaction, true, TransactionRunner.LatencySink.NONE);
                SmtpReply reply = outcome.recipients().isEmpty() ? null : outcome.recipients().get(0);
                if (outcome.messageAccepted()) {
                    if (toValid) {
                        delays.add(Duration.ofNanos(System.nanoTime() - first));
                    } else {
                        typosAccepted.incrementAndGet();
                    }
                    return;
                }
                boolean refused = reply != null && reply.isPermanent() || outcome.message().map(SmtpReply::isPermanent).orElse(false);
                if (refused) {
                    (toValid ? validRefused : typosRefused).incrementAndGet();
                    return;
                }
                if (!outcome.closed()) {
                    connection.quit();
                }
            } catch (IOException e) {
                // a cut session is retried like a deferral
            }
            try {
                Thread.sleep(Math.max(0, Math.min(retry.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (toValid) {
            undelivered.incrementAndGet();
        }
    }

    /** What the legitimate senders saw. */
    static final class Result {
        final int senders;
        final int typos;
        final List<Duration> delays;
        final int validRefused;
        final int typosRefused;
        final int typosAccepted;
        final int undelivered;

        Result(int senders, int typos, List<Duration> delays, int validRefused, int typosRefused, int typosAccepted,
               int undelivered) {
            this.senders = senders;
            this.typos = typos;
            this.delays = delays.stream().sorted().collect(Collectors.toList());
            this.validRefused = validRefused;
            this.typosRefused = typosRefused;
            this.typosAccepted = typosAccepted;
            this.undelivered = undelivered;
        }

        Duration median() {
            return delays.isEmpty() ? Duration.ZERO : delays.get(delays.size() / 2);
        }

        Duration max() {
            return delays.isEmpty() ? Duration.ZERO : delays.get(delays.size() - 1);
        }

        @Override
        public String toString() {
            return String.format("legitimate: %d first-contact senders (%d typos), %d delivered (delay median %.1f s, max %.1f s), "
                    + "%d undelivered, %d valid refused, %d typos refused, %d typos accepted", senders, typos, delays.size(),
                median().toMillis() / 1000.0, max().toMillis() / 1000.0, undelivered, validRefused, typosRefused, typosAccepted);
        }
    }
}
