package org.rcptguard.bench.inline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.rcptguard.bench.Options;
import org.rcptguard.bench.server.JamesTarget;
import org.rcptguard.bench.smtp.DataStageLoad;
import org.rcptguard.launcher.PostfixBackend;

/**
 * What in-line delivery costs at the end of DATA: messages/s and end-of-DATA latency (from the final "." to the
 * reply) for a gateway domain delivered by James's queue and in-line to a real Postfix on the same machine, for two
 * message sizes, over concurrent sessions from a whitelisted network; then James's heap (jstat) during concurrent
 * in-line transfers of large messages, its live heap (after a full GC) during in-line transfers of 1 MB and of large
 * messages, and a legitimate client's RCPT latency while relays hold James's I/O threads. In queue mode James drops what it accepted (Null mailet): the figure is the
 * client's wait for James's enqueue, not the relay that would follow.
 */
public final class InlineDeliveryBenchmark {
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry("parts", "throughput,heap,streaming,io-threads"),
        Map.entry("sessions", "4"), Map.entry("small-messages", "200"), Map.entry("large-messages", "20"),
        Map.entry("heap-sessions", "50"), Map.entry("heap-size-mb", "10"),
        Map.entry("io-relays", "16,32"), Map.entry("io-probes", "16"), Map.entry("io-backend-sleep", "15"), Map.entry("io-threads", "32"));
    private static final String RECIPIENT = "bob@example.test";

    private InlineDeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options.runAndReport(args, DEFAULTS, "bench/target/inline-benchmark.md", InlineDeliveryBenchmark::run);
    }

    private static String run(Options options) throws Exception {
        List<String> parts = options.list("parts");
        Path work = Files.createTempDirectory("rcptguard-inline-bench");
        StringBuilder report = new StringBuilder();
        if (parts.contains("throughput")) {
            report.append("| delivery | size | messages/s | end of DATA p50 ms | p99 ms | replies |\n|---|---|---|---|---|---|\n");
        }
        StringBuilder heap = new StringBuilder();
        List<Integer> ioRelays = options.list("io-relays").stream().map(Integer::valueOf).collect(Collectors.toList());
        int maxSessions = Math.max(16, Math.max(options.integer("heap-sessions"), ioRelays.stream().max(Integer::compare).orElse(0)));
        boolean compared = parts.contains("throughput") || parts.contains("heap") || parts.contains("streaming");
        try (PostfixBackend postfix = PostfixBackend.start("127.0.0.1", List.of("example.test"), List.of(RECIPIENT))) {
            postfix.postconf("message_size_limit = 0");
            for (String delivery : compared ? List.of("queue", "inline") : List.of("inline")) {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("greylist.delay", "2s");
                settings.put("whitelist.clients", "127.0.71.0/24");
                settings.put("directory.domains", "example.test");
                settings.put("directory.example.test.sources", "smtp");
                settings.put("directory.example.test.smtp.host", postfix.hostPort());
                settings.put("directory.example.test.delivery", delivery);
                settings.put("directory.inline.max.sessions", String.valueOf(maxSessions));
                try (JamesTarget james = JamesTarget.rcptGuard(delivery, work.resolve("james-" + delivery), settings,
                    "example.com", List.of("alice@example.com"))) {
                    DataStageLoad load = new DataStageLoad(james.smtpPort(), RECIPIENT, "127.0.71");
                    int sessions = options.integer("sessions");
                    load.load(sessions, 10, 10 * 1024);
                    if (parts.contains("throughput")) {
                        report.append(row(delivery, "10 KB", load.load(sessions, options.integer("small-messages"), 10 * 1024)));
                        report.append(row(delivery, "1 MB", load.load(sessions, options.integer("large-messages"), 1024 * 1024)));
                    }
                    if (parts.contains("heap")) {
                        heap.append(print(load.heap("delivery " + delivery, james.pid(), options.integer("heap-sessions"),
                            options.integer("heap-size-mb"))));
                    }
                    if (parts.contains("streaming")) {
                        for (int megabytes : List.of(1, options.integer("heap-size-mb"))) {
                            heap.append(print(load.heapAfterGc("delivery " + delivery, james.pid(), options.integer("heap-sessions"), megabytes)));
                        }
                    }
                    if (delivery.equals("inline") && parts.contains("io-threads")) {
                        heap.append(ioThreads(options, postfix, james, load, ioRelays));
                    }
                }
            }
        }
        return report + "\n" + heap + "\n";
    }

    /**
     * Relays held by a backend that sleeps at DATA: James's live heap meanwhile, and a legitimate client's RCPT latency
     * while they hold James's I/O threads.
     */
    private static String ioThreads(Options options, PostfixBackend postfix, JamesTarget james, DataStageLoad load,
                                    List<Integer> relays) throws Exception {
        int sleep = options.integer("io-backend-sleep");
        int megabytes = options.integer("heap-size-mb");
        StringBuilder held = new StringBuilder();
        StringBuilder table = new StringBuilder(String.format("%nRCPT latency (connect to the RCPT reply) of %d clients at once "
            + "while relays of %d MB to a backend sleeping %d s at DATA are in flight:%n%n"
            + "| relays | probes | p50 ms | p90 ms | max ms | relays' replies |%n|---|---|---|---|---|---|%n", options.integer("io-probes"), megabytes, sleep));
        HeldRelays probe = new HeldRelays(james.smtpPort(), postfix, load);
        postfix.postconf("smtpd_data_restrictions = sleep " + sleep);
        try {
            // As many relays as James's I/O threads (the shipped 32) can hold at once.
            int atOnce = Math.min(options.integer("heap-sessions"), options.integer("io-threads"));
            for (int size : List.of(1, megabytes)) {
                held.append(print(probe.liveHeap(james.pid(), atOnce, size)));
            }
            for (int inFlight : Stream.concat(Stream.of(0), relays.stream()).collect(Collectors.toList())) {
                table.append(print(probe.rcptLatency(inFlight, options.integer("io-probes"), megabytes)));
            }
        } finally {
            postfix.postconf("smtpd_data_restrictions =");
        }
        return held.append(table).toString();
    }

    private static String print(String line) {
        System.err.print(line);
        return line;
    }

    /** A row of the report, also printed at once: a long run shows its figures as they come. */
    private static String row(String delivery, String size, DataStageLoad.Result result) {
        String row = "| " + delivery + " | " + size + " | " + result.cells() + "\n";
        System.err.print(row);
        return row;
    }
}
