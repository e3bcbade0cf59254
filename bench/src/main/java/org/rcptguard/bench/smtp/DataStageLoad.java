package org.rcptguard.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.rcptguard.bench.soak.JvmSample;

/**
 * Messages sent to one recipient over concurrent sessions from a whitelisted network, timing the end of DATA (from
 * the final "." to the reply); and James's used heap sampled (jstat) while such a load runs. Shared by the benchmarks
 * of what happens at the end of DATA (content scanning, in-line delivery).
 */
public final class DataStageLoad {
    private static final Map<Integer, String> BODIES = new ConcurrentHashMap<>();

    private final int smtpPort;
    private final String recipient;
    private final String sourcePrefix;

    /** @param sourcePrefix the first three octets of the client addresses, e.g. {@code 127.0.70} (whitelisted) */
    public DataStageLoad(int smtpPort, String recipient, String sourcePrefix) {
        this.smtpPort = smtpPort;
        this.recipient = recipient;
        this.sourcePrefix = sourcePrefix;
    }

    /** What one load measured. */
    public static final class Result {
        final LatencyRecorder latencies = new LatencyRecorder();
        final Map<Integer, AtomicInteger> replies = new ConcurrentHashMap<>();
        double seconds;

        public Map<Integer, AtomicInteger> replies() {
            return replies;
        }

        /** {@code | messages/s | p50 ms | p99 ms | replies |} as a Markdown row's cells after the first ones. */
        public String cells() {
            return String.format("%.1f | %.1f | %.1f | %s |", latencies.count() / seconds, latencies.percentileMillis(0.50),
                latencies.percentileMillis(0.99), replies);
        }
    }

    /** {@code sessions} connections, each sending its share of {@code messages} of {@code size} bytes. */
    public Result load(int sessions, int messages, int size) throws Exception {
        Result result = new Result();
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        AtomicInteger left = new AtomicInteger(messages);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String source = sourcePrefix + "." + (2 + s % 200);
            running.add(pool.submit(() -> {
                try (SmtpConnection smtp = SmtpConnection.open("127.0.0.1", smtpPort, source, "bench.example", Duration.ofMinutes(5))) {
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

    private void send(SmtpConnection smtp, int size, Result result) throws IOException {
        smtp.send("MAIL FROM:<sender@sender.example>");
        smtp.readReply();
        smtp.send("RCPT TO:<" + recipient + ">");
        smtp.readReply();
        smtp.send("DATA");
        smtp.readReply();
        smtp.send("From: sender@sender.example\r\nTo: " + recipient + "\r\nSubject: benchmark\r\nMessage-ID: <"
            + System.nanoTime() + "@sender.example>\r\n");
        // The body in one write (its lines end in CRLF, none starts with a dot), shared by every session; the final
        // dot timed on its own.
        smtp.send(BODIES.computeIfAbsent(size, DataStageLoad::body));
        long start = System.nanoTime();
        smtp.send(".");
        SmtpReply reply = smtp.readReply();
        result.latencies.record(System.nanoTime() - start);
        result.replies.computeIfAbsent(reply.code(), code -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * James's used heap (jstat, every 100 ms: live objects and garbage not yet collected) while {@code sessions}
     * messages of {@code megabytes} MB are sent at once; {@code what} names the run in the sentence returned.
     */
    public String heap(String what, long pid, int sessions, int megabytes) throws Exception {
        AtomicLong maxUsedKb = new AtomicLong();
        long idleKb = usedHeapKb(pid);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    maxUsedKb.accumulateAndGet(usedHeapKb(pid), Math::max);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the next sample
                }
            }
        });
        sampler.start();
        Result result = load(sessions, sessions, megabytes * 1024 * 1024);
        sampler.interrupt();
        sampler.join();
        return String.format("James's heap (-Xmx1g) during %d concurrent %d MB messages, %s: %d MB used before, "
                + "%d MB at most during (jstat, 100 ms samples); %.1f s for all; replies %s; end of DATA p50 %.0f ms, p99 %.0f ms.%n",
            sessions, megabytes, what, idleKb / 1024, maxUsedKb.get() / 1024, result.seconds, result.replies,
            result.latencies.percentileMillis(0.5), result.latencies.percentileMillis(0.99));
    }

    /**
     * James's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}: live objects only), sampled every
     * second while {@code sessions} messages of {@code megabytes} MB are sent at once: what the transfers hold, which a
     * streamed transfer keeps independent of the message size.
     */
    public String heapAfterGc(String what, long pid, int sessions, int megabytes) throws Exception {
        long idleKb = JvmSample.of(pid).heapAfterGcKib();
        AtomicLong maxLiveKb = new AtomicLong();
        AtomicInteger samples = new AtomicInteger();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Future<Result> sent = sender.submit(() -> load(sessions, sessions, megabytes * 1024 * 1024));
        while (!sent.isDone()) {
            maxLiveKb.accumulateAndGet(JvmSample.of(pid).heapAfterGcKib(), Math::max);
            samples.incrementAndGet();
            Thread.sleep(1_000);
        }
        Result result = sent.get();
        sender.shutdown();
        return String.format("James's live heap (after a full GC) during %d concurrent %d MB messages, %s: %d MB before, "
                + "%d MB at most during (%d samples, one a second); %.1f s for all; replies %s.%n",
            sessions, megabytes, what, idleKb / 1024, maxLiveKb.get() / 1024, samples.get(), result.seconds, result.replies);
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
            .collect(Collectors.toList());
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
