package org.rcptguard.bench.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.rcptguard.bench.Options;
import org.rcptguard.bench.server.JamesTarget;
import org.rcptguard.bench.smtp.LatencyRecorder;
import org.rcptguard.bench.smtp.SmtpConnection;
import org.rcptguard.bench.smtp.SmtpReply;
import org.rcptguard.it.Clamd;
import org.rcptguard.it.Rspamd;

/**
 * What content scanning costs at the end of DATA: messages/s and end-of-DATA latency (from the final "." to the
 * reply) with no scanner, rspamd, clamd and both, for two message sizes, over concurrent sessions from a whitelisted
 * network (no greylisting); then James's heap (jstat) during concurrent scans of large messages. Real rspamd and clamd
 * (Debian's), started as the tests start them; James drops accepted mail (Null mailet), so the spool is not measured.
 */
public final class ContentScanBenchmark {
    private static final Map<String, String> DEFAULTS = Map.of(
        "sessions", "4", "small-messages", "200", "large-messages", "20", "heap-sessions", "50", "heap-size-mb", "10");

    private static final Map<Integer, String> BODIES = new ConcurrentHashMap<>();

    private ContentScanBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options.runAndReport(args, DEFAULTS, "bench/target/content-benchmark.md", ContentScanBenchmark::run);
    }

    private static String run(Options options) throws Exception {
        Path work = Files.createTempDirectory("rcptguard-content-bench");
        StringBuilder report = new StringBuilder("| scanners | size | messages/s | end of DATA p50 ms | p99 ms | replies |\n|---|---|---|---|---|---|\n");
        try (Rspamd rspamd = new Rspamd(work.resolve("rspamd")); Clamd clamd = new Clamd(work.resolve("clamd"))) {
            Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
            configurations.put("none", Map.of());
            configurations.put("rspamd", Map.of("content.rspamd.url", rspamd.url()));
            configurations.put("clamd", Map.of("content.clamd.address", clamd.address()));
            configurations.put("both", Map.of("content.rspamd.url", rspamd.url(), "content.clamd.address", clamd.address()));
            String heap = "";
            for (Map.Entry<String, Map<String, String>> configuration : configurations.entrySet()) {
                Map<String, String> settings = new LinkedHashMap<>(configuration.getValue());
                settings.put("greylist.delay", "2s");
                settings.put("whitelist.clients", "127.0.70.0/24");
                settings.put("content.rspamd.timeout", "60s");
                settings.put("content.clamd.timeout", "60s");
                try (JamesTarget james = JamesTarget.rcptGuard(configuration.getKey(), work.resolve("james-" + configuration.getKey()),
                    settings, "example.com", List.of("alice@example.com"))) {
                    load(james, options.integer("sessions"), 10, 10 * 1024);
                    report.append(row(configuration.getKey(), "10 KB", load(james, options.integer("sessions"), options.integer("small-messages"), 10 * 1024)));
                    report.append(row(configuration.getKey(), "1 MB", load(james, options.integer("sessions"), options.integer("large-messages"), 1024 * 1024)));
                    if (configuration.getKey().equals("none") || configuration.getKey().equals("both")) {
                        heap += heap(configuration.getKey(), james, options.integer("heap-sessions"), options.integer("heap-size-mb"));
                    }
                }
            }
            return report + "\n" + heap + "\n";
        }
    }

    private static final class Result {
        final LatencyRecorder latencies = new LatencyRecorder();
        final Map<Integer, AtomicInteger> replies = new ConcurrentHashMap<>();
        double seconds;
    }

    private static String row(String scanners, String size, Result result) {
        return String.format("| %s | %s | %.1f | %.1f | %.1f | %s |%n", scanners, size, result.latencies.count() / result.seconds,
            result.latencies.percentileMillis(0.50), result.latencies.percentileMillis(0.99), result.replies);
    }

    /** {@code sessions} connections, each sending its share of {@code messages} of {@code size} bytes. */
    private static Result load(JamesTarget james, int sessions, int messages, int size) throws Exception {
        Result result = new Result();
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        AtomicInteger left = new AtomicInteger(messages);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String source = "127.0.70." + (2 + s % 200);
            running.add(pool.submit(() -> {
                try (SmtpConnection smtp = SmtpConnection.open("127.0.0.1", james.smtpPort(), source, "bench.example", Duration.ofMinutes(2))) {
                    while (left.getAndDecrement() > 0) {
                        send(smtp, size, result);
                    }
                    smtp.quit();
                }
                return null;
            }));
        }
        for (Future<?> session : running) {
            session.get();
        }
        result.seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return result;
    }

    private static void send(SmtpConnection smtp, int size, Result result) throws IOException {
        smtp.send("MAIL FROM:<sender@sender.example>");
        smtp.readReply();
        smtp.send("RCPT TO:<alice@example.com>");
        smtp.readReply();
        smtp.send("DATA");
        smtp.readReply();
        smtp.send("From: sender@sender.example\r\nTo: alice@example.com\r\nSubject: benchmark\r\nMessage-ID: <"
            + System.nanoTime() + "@sender.example>\r\n");
        // The body in one write (its lines end in CRLF, none starts with a dot), shared by every session; the final
        // dot timed on its own.
        smtp.send(BODIES.computeIfAbsent(size, ContentScanBenchmark::body));
        long start = System.nanoTime();
        smtp.send(".");
        SmtpReply reply = smtp.readReply();
        result.latencies.record(System.nanoTime() - start);
        result.replies.computeIfAbsent(reply.code(), code -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * James's used heap (jstat, every 100 ms: live objects and garbage not yet collected) while {@code sessions} messages
     * of {@code megabytes} MB are received, and scanned, at once.
     */
    private static String heap(String scanners, JamesTarget james, int sessions, int megabytes) throws Exception {
        AtomicLong maxUsedKb = new AtomicLong();
        long idleKb = usedHeapKb(james.pid());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    maxUsedKb.accumulateAndGet(usedHeapKb(james.pid()), Math::max);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the next sample
                }
            }
        });
        sampler.start();
        Result result = load(james, sessions, sessions, megabytes * 1024 * 1024);
        sampler.interrupt();
        sampler.join();
        return String.format("James's heap (-Xmx1g) during %d concurrent %d MB messages, scanners %s: %d MB used before, "
                + "%d MB at most during (jstat, 100 ms samples); %.1f s for all; replies %s; end of DATA p50 %.0f ms, p99 %.0f ms.%n",
            sessions, megabytes, scanners, idleKb / 1024, maxUsedKb.get() / 1024, result.seconds, result.replies,
            result.latencies.percentileMillis(0.5), result.latencies.percentileMillis(0.99));
    }

    /** A plain-text body of about {@code size} bytes, without its last CRLF (send adds it). */
    private static String body(int size) {
        StringBuilder body = new StringBuilder(size + 100);
        while (body.length() < size) {
            body.append("The quick brown fox jumps over the lazy dog, a benchmark line of plain text words.\r\n");
        }
        return body.substring(0, body.length() - 2);
    }

    /** Eden + survivors + old generation in use, from {@code jstat -gc}. */
    private static long usedHeapKb(long pid) throws IOException {
        Process jstat = new ProcessBuilder("jstat", "-gc", String.valueOf(pid)).redirectErrorStream(true).start();
        List<String> lines = new String(jstat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines()
            .collect(java.util.stream.Collectors.toList());
        if (lines.size() < 2) {
            throw new IOException("jstat: " + lines);
        }
        String[] names = lines.get(0).trim().split("\\s+");
        String[] values = lines.get(1).trim().split("\\s+");
        double used = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                used += Double.parseDouble(values[i]);
            }
        }
        return (long) used;
    }
}
