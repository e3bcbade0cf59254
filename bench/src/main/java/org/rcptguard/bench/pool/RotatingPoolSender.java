package org.rcptguard.bench.pool;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.rcptguard.bench.Options;
import org.rcptguard.bench.smtp.SmtpConnection;
import org.rcptguard.bench.smtp.SmtpReply;
import org.rcptguard.core.RcptGuardSettings;

/**
 * A big sender's outbound pool, as greylisting sees it: like a real MTA, each message is retried every
 * {@code --retry} until delivered, and every attempt leaves from a random /24 of a pool of N /24s, so a greylist keyed
 * by the client network sees a new client on most retries. For each pool size it sends {@code --messages} messages
 * (each a new sender, so a new triplet) and reports the attempts and the time until each was delivered, measured and
 * scaled to a real MTA's retry interval ({@code --real-retry}, Postfix's queue run is 5 to 15 minutes).
 *
 * <p>It talks to any SMTP server ({@code --target host:port}): RcptGuard with or without client identities, Postfix
 * with postgrey. The pool's /24s are {@code --pool-base} and the ones after it (127.0.128.0: 127.0.128.0/24,
 * 127.0.129.0/24, ...): the sender domain's SPF record must cover as many as the largest pool (a /19 for 32) for the
 * "SPF passes" runs.
 *
 * <pre>bench/bench-java org.rcptguard.bench.pool.RotatingPoolSender --target 127.0.0.1:2525 --pools 1,3,8,32</pre>
 */
public final class RotatingPoolSender {
    private static final Duration SMTP_TIMEOUT = Duration.ofSeconds(30);

    private final Options options;
    private final String host;
    private final int port;
    private final Duration retry;
    private final int maxAttempts;
    private final Random random;

    RotatingPoolSender(Options options) {
        this.options = options;
        String target = options.get("target");
        int colon = target.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--target must be host:port, got '" + target + "'");
        }
        this.host = target.substring(0, colon);
        this.port = Integer.parseInt(target.substring(colon + 1));
        this.retry = RcptGuardSettings.parseDuration("retry", options.get("retry"));
        this.maxAttempts = options.integer("max-attempts");
        this.random = new Random(options.integer("seed"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("target", "127.0.0.1:2525");
        defaults.put("label", "target");
        defaults.put("pools", "1,3,8,32");
        defaults.put("messages", "5");
        defaults.put("pool-base", "127.0.128.0");
        defaults.put("sender-domain", "pool.example.com");
        defaults.put("helo", "mta.pool.example.com");
        defaults.put("recipient", "alice@example.com");
        defaults.put("retry", "3s");
        defaults.put("real-retry", "15m");
        defaults.put("max-attempts", "12");
        defaults.put("seed", "13");
        Options.runAndReport(args, defaults, "bench/target/rotating-pool.md", options -> new RotatingPoolSender(options).run());
    }

    String run() throws Exception {
        Duration realRetry = RcptGuardSettings.parseDuration("real-retry", options.get("real-retry"));
        StringBuilder report = new StringBuilder()
            .append("### Rotating pool: ").append(options.get("label")).append(" (").append(options.get("target")).append(")\n\n")
            .append("Each message retried every ").append(RcptGuardSettings.format(retry)).append(" (scaled to ")
            .append(RcptGuardSettings.format(realRetry)).append("), each attempt from a random /24 of the pool.\n\n")
            .append("| pool (/24s) | messages | delivered | attempts (median) | attempts (max) | time (median) | scaled time (median) |\n")
            .append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String pool : options.list("pools")) {
            int size = Integer.parseInt(pool.trim());
            List<Delivery> deliveries = new ArrayList<>();
            for (int message = 0; message < options.integer("messages"); message++) {
                deliveries.add(deliver(size));
            }
            report.append(row(size, deliveries, realRetry)).append('\n');
        }
        return report.toString();
    }

    private String row(int poolSize, List<Delivery> deliveries, Duration realRetry) {
        List<Delivery> delivered = new ArrayList<>();
        deliveries.stream().filter(Delivery::delivered).forEach(delivered::add);
        delivered.sort((a, b) -> Integer.compare(a.attempts, b.attempts));
        if (delivered.isEmpty()) {
            return String.format(Locale.ROOT, "| %d | %d | 0 | - | > %d | - | - |", poolSize, deliveries.size(), maxAttempts);
        }
        Delivery median = delivered.get(delivered.size() / 2);
        // A real MTA's time until delivery is its retry interval times the retries it needed.
        Duration scaled = realRetry.multipliedBy(median.attempts - 1L);
        return String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %.1f s | %s |", poolSize, deliveries.size(), delivered.size(),
            median.attempts, delivered.get(delivered.size() - 1).attempts, median.elapsed.toMillis() / 1000.0, RcptGuardSettings.format(scaled));
    }

    /** One message: attempts every retry interval, each from a random /24 of the pool, until 250 after DATA. */
    Delivery deliver(int poolSize) throws InterruptedException {
        String sender = "bounce-" + letters(8) + "@" + options.get("sender-domain");
        long start = System.nanoTime();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                Thread.sleep(retry.toMillis());
            }
            SmtpReply reply = attempt(clientAddress(random.nextInt(poolSize)), sender);
            if (reply.isPositive()) {
                return new Delivery(true, attempt, Duration.ofNanos(System.nanoTime() - start));
            }
            if (reply.isPermanent()) {
                return new Delivery(false, attempt, Duration.ofNanos(System.nanoTime() - start));
            }
        }
        return new Delivery(false, maxAttempts, Duration.ofNanos(System.nanoTime() - start));
    }

    /** One SMTP transaction; the reply that decided it (a 4xx for a connection that failed, as an MTA would retry it). */
    private SmtpReply attempt(String clientAddress, String sender) {
        try (SmtpConnection connection = SmtpConnection.open(host, port, clientAddress, options.get("helo"), SMTP_TIMEOUT)) {
            for (String command : List.of("MAIL FROM:<" + sender + ">", "RCPT TO:<" + options.get("recipient") + ">", "DATA")) {
                connection.send(command);
                SmtpReply reply = connection.readReply();
                if (!reply.isPositive()) {
                    connection.quit();
                    return reply;
                }
            }
            connection.send("From: <" + sender + ">", "To: <" + options.get("recipient") + ">", "Subject: rotating pool",
                "", "A message from a rotating outbound pool.", ".");
            SmtpReply reply = connection.readReply();
            connection.quit();
            return reply;
        } catch (IOException e) {
            return new SmtpReply(421, "connection failed: " + e.getMessage());
        }
    }

    /** A random host of the pool's {@code index}-th /24 after {@code --pool-base}. */
    private String clientAddress(int index) {
        String[] base = options.get("pool-base").split("\\.");
        int network = (Integer.parseInt(base[0]) << 16) + (Integer.parseInt(base[1]) << 8) + Integer.parseInt(base[2]) + index;
        return (network >> 16 & 0xFF) + "." + (network >> 8 & 0xFF) + "." + (network & 0xFF) + "." + (1 + random.nextInt(254));
    }

    /** Letters only: RcptGuard's sender normalisation folds digits of VERP-like parts, which would merge messages. */
    private String letters(int count) {
        StringBuilder text = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /** What became of one message. */
    static final class Delivery {
        final boolean delivered;
        final int attempts;
        final Duration elapsed;

        Delivery(boolean delivered, int attempts, Duration elapsed) {
            this.delivered = delivered;
            this.attempts = attempts;
            this.elapsed = elapsed;
        }

        boolean delivered() {
            return delivered;
        }
    }
}
