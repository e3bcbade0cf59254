package org.rcptguard.bench.content;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rcptguard.bench.Options;
import org.rcptguard.bench.server.JamesTarget;
import org.rcptguard.bench.smtp.DataStageLoad;
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
                    DataStageLoad load = new DataStageLoad(james.smtpPort(), "alice@example.com", "127.0.70");
                    int sessions = options.integer("sessions");
                    load.load(sessions, 10, 10 * 1024);
                    report.append(row(configuration.getKey(), "10 KB", load.load(sessions, options.integer("small-messages"), 10 * 1024)));
                    report.append(row(configuration.getKey(), "1 MB", load.load(sessions, options.integer("large-messages"), 1024 * 1024)));
                    if (configuration.getKey().equals("none") || configuration.getKey().equals("both")) {
                        heap += load.heap("scanners " + configuration.getKey(), james.pid(), options.integer("heap-sessions"),
                            options.integer("heap-size-mb"));
                    }
                }
            }
            return report + "\n" + heap + "\n";
        }
    }

    private static String row(String scanners, String size, DataStageLoad.Result result) {
        return "| " + scanners + " | " + size + " | " + result.cells() + "\n";
    }
}
