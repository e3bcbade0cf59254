package org.rcptguard.bench.inline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.rcptguard.bench.smtp.DataStageLoad;
import org.rcptguard.bench.smtp.LatencyRecorder;
import org.rcptguard.bench.smtp.SmtpConnection;
import org.rcptguard.bench.soak.JvmSample;
import org.rcptguard.launcher.PostfixBackend;

/**
 * In-line relays held by a backend that sleeps at DATA, each on one of James's SMTP I/O threads: what James keeps in
 * its heap meanwhile, and what the hold costs the other sessions, a legitimate client's RCPT latency (connect to the
 * RCPT reply, a hosted recipient) against none in flight. Measured once the backend holds all the relays.
 */
final class HeldRelays {
    private static final String PROBE_PREFIX = "127.0.72.";

    private final int smtpPort;
    private final PostfixBackend backend;
    private final DataStageLoad load;

    HeldRelays(int smtpPort, PostfixBackend backend, DataStageLoad load) {
        this.smtpPort = smtpPort;
        this.backend = backend;
        this.load = load;
    }

    /** A report line: {@code probes} RCPTs at once during {@code relays} relays of {@code megabytes} MB. */
    String rcptLatency(int relays, int probes, int megabytes) throws Exception {
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<DataStageLoad.Result> sent = relays == 0 ? null
                : sender.submit(() -> load.load(relays, relays, megabytes * 1024 * 1024));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (relays > 0 && relaysInFlight() < relays && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            int inFlight = relaysInFlight();
            LatencyRecorder latencies = probe(probes);
            String replies = sent == null ? "" : sent.get().replies().toString();
            return String.format("| %d (%d in flight) | %d | %.0f | %.0f | %.0f | %s |%n", relays, inFlight, probes,
                latencies.percentileMillis(0.5), latencies.percentileMillis(0.9), latencies.percentileMillis(1.0), replies);
        } finally {
            sender.shutdownNow();
        }
    }

    /**
     * James's live heap (after a full GC) once {@code relays} relays of {@code megabytes} MB are held at the backend's
     * DATA: every message fully received, none transferred yet; what James keeps of an in-line message while it
     * relays (its spooled copy is on disk: the figure does not grow with the size).
     */
    String liveHeap(long pid, int relays, int megabytes) throws Exception {
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<DataStageLoad.Result> sent = sender.submit(() -> load.load(relays, relays, megabytes * 1024 * 1024));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (relaysInFlight() < relays && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            int inFlight = relaysInFlight();
            long liveKb = JvmSample.of(pid).heapAfterGcKib();
            DataStageLoad.Result result = sent.get();
            return String.format("James's live heap (after a full GC) with %d in-line relays of %d MB held at the backend's "
                + "DATA: %d MB; replies %s.%n", inFlight, megabytes, liveKb / 1024, result.replies());
        } finally {
            sender.shutdownNow();
        }
    }

    private LatencyRecorder probe(int probes) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(probes);
        try {
            List<Future<Long>> running = new ArrayList<>();
            for (int p = 0; p < probes; p++) {
                String source = PROBE_PREFIX + (2 + p);
                running.add(clients.submit(() -> {
                    long start = System.nanoTime();
                    try (SmtpConnection smtp = SmtpConnection.open("127.0.0.1", smtpPort, source, "probe.example", Duration.ofMinutes(3))) {
                        smtp.send("MAIL FROM:<probe@sender.example>");
                        smtp.readReply();
                        smtp.send("RCPT TO:<alice@example.com>");
                        smtp.readReply();
                        long nanos = System.nanoTime() - start;
                        smtp.quit();
                        return nanos;
                    }
                }));
            }
            LatencyRecorder latencies = new LatencyRecorder();
            for (Future<Long> each : running) {
                latencies.record(each.get());
            }
            return latencies;
        } finally {
            clients.shutdownNow();
        }
    }

    /** James's connections to the backend (ss), each an in-line relay once the recipients are verified. */
    private int relaysInFlight() throws Exception {
        Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( dport = :" + backend.port() + " )")
            .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        ss.waitFor();
        return (int) out.lines().filter(line -> !line.isBlank()).count();
    }
}
