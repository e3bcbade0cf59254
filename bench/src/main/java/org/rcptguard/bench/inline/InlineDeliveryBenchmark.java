package org.rcptguard.bench.inline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rcptguard.bench.Options;
import org.rcptguard.bench.server.JamesTarget;
import org.rcptguard.bench.smtp.DataStageLoad;
import org.rcptguard.launcher.PostfixBackend;

/**
 * What in-line delivery costs at the end of DATA: messages/s and end-of-DATA latency (from the final "." to the
 * reply) for a gateway domain delivered by James's queue and in-line to a real Postfix on the same machine, for two
 * message sizes, over concurrent sessions from a whitelisted network; then James's heap (jstat) during concurrent
 * in-line transfers of large messages. In queue mode James drops what it accepted (Null mailet): the figure is the
 * client's wait for James's enqueue, not the relay that would follow.
 */
public final class InlineDeliveryBenchmark {
    private static final Map<String, String> DEFAULTS = Map.of(
        "sessions", "4", "small-messages", "200", "large-messages", "20", "heap-sessions", "50", "heap-size-mb", "10");
    private static final String RECIPIENT = "bob@example.test";

    private InlineDeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options.runAndReport(args, DEFAULTS, "bench/target/inline-benchmark.md", InlineDeliveryBenchmark::run);
    }

    private static String run(Options options) throws Exception {
        Path work = Files.createTempDirectory("rcptguard-inline-bench");
        StringBuilder report = new StringBuilder("| delivery | size | messages/s | end of DATA p50 ms | p99 ms | replies |\n|---|---|---|---|---|---|\n");
        String heap = "";
        try (PostfixBackend postfix = PostfixBackend.start("127.0.0.1", List.of("example.test"), List.of(RECIPIENT))) {
            postfix.postconf("message_size_limit = 0");
            for (String delivery : List.of("queue", "inline")) {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("greylist.delay", "2s");
                settings.put("whitelist.clients", "127.0.71.0/24");
                settings.put("directory.domains", "example.test");
                settings.put("directory.example.test.sources", "smtp");
                settings.put("directory.example.test.smtp.host", postfix.hostPort());
                settings.put("directory.example.test.delivery", delivery);
                settings.put("directory.inline.max.sessions", String.valueOf(Math.max(16, options.integer("heap-sessions"))));
                try (JamesTarget james = JamesTarget.rcptGuard(delivery, work.resolve("james-" + delivery), settings,
                    "example.com", List.of("alice@example.com"))) {
                    DataStageLoad load = new DataStageLoad(james.smtpPort(), RECIPIENT, "127.0.71");
                    int sessions = options.integer("sessions");
                    load.load(sessions, 10, 10 * 1024);
                    report.append(row(delivery, "10 KB", load.load(sessions, options.integer("small-messages"), 10 * 1024)));
                    report.append(row(delivery, "1 MB", load.load(sessions, options.integer("large-messages"), 1024 * 1024)));
                    String measured = load.heap("delivery " + delivery, james.pid(), options.integer("heap-sessions"),
                        options.integer("heap-size-mb"));
                    System.err.print(measured);
                    heap += measured;
                }
            }
        }
        return report + "\n" + heap + "\n";
    }

    /** A row of the report, also printed at once: a long run shows its figures as they come. */
    private static String row(String delivery, String size, DataStageLoad.Result result) {
        String row = "| " + delivery + " | " + size + " | " + result.cells() + "\n";
        System.err.print(row);
        return row;
    }
}
