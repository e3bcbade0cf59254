package org.rcptguard.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.rcptguard.bench.server.JamesTarget;
import org.rcptguard.bench.smtp.LoadGenerator;
import org.rcptguard.bench.smtp.Scenario;
import org.rcptguard.bench.smtp.TrafficModel;
import org.rcptguard.it.GrafanaDashboard;
import org.rcptguard.it.Prometheus;

/**
 * The picture of the dashboard's "RCPT decisions by outcome" panel in the README: a James with RcptGuard (memory
 * store) under the benchmark's scenarios one after the other, scraped by a real Prometheus, and the panel's own
 * expressions (one series per outcome) drawn by Prometheus's graph page in headless Chromium. Run by
 * {@code bench/render-decisions-graph}.
 */
public final class DecisionsGraph {
    static final String PANEL = "RCPT decisions by outcome";
    static final String RATE_INTERVAL = "15s";
    private static final Pattern OUTCOME = Pattern.compile("rcptguard_rcpt_outcome_(\\w+)_total");

    private DecisionsGraph() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("seconds", "40");
        defaults.put("sessions", "8");
        defaults.put("scenarios", "steady,first-contact,mixed,scan,steady");
        defaults.put("output", "docs/img/decisions-by-outcome.png");
        defaults.put("window-size", "1400,1000");
        defaults.put("work-dir", "bench/target/decisions-graph");
        Options.runAndReport(args, defaults, "bench/target/decisions-graph.md", DecisionsGraph::run);
    }

    static String run(Options options) throws Exception {
        TrafficModel model = TrafficModel.standard("example.com");
        Path workDir = Paths.get(options.get("work-dir")).toAbsolutePath();
        Map<String, String> settings = Map.of("store", "memory", "greylist.delay", "2s", "greylist.retry.window", "1h",
            "autowhitelist.passes", "5");
        try (JamesTarget james = JamesTarget.rcptGuard("rcptguard-memory", workDir, settings, model.domain(), model.validRecipients());
             Prometheus prometheus = new Prometheus(Files.createTempDirectory(Files.createDirectories(workDir), "prometheus-"),
                 List.of("127.0.0.1:" + james.webAdminPort()))) {
            LoadGenerator load = new LoadGenerator("127.0.0.1", james.smtpPort(), model, options.integer("sessions"), 5);
            load.warmUp(james.greylistDelay());
            long started = System.nanoTime();
            StringBuilder report = new StringBuilder("Decisions by outcome, " + options.get("seconds") + " s per scenario:\n\n");
            for (String scenario : options.list("scenarios")) {
                report.append("- ").append(scenario).append(": ")
                    .append(load.run(Scenario.parse(scenario), Duration.ofSeconds(options.integer("seconds")), 1)).append('\n');
            }
            Thread.sleep(Duration.ofSeconds(20).toMillis());
            long minutes = Math.max(1, (System.nanoTime() - started) / 60_000_000_000L + 1);
            String expression = panelExpression("127.0.0.1:" + james.webAdminPort());
            String url = prometheus.url() + "/graph?g0.expr=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)
                + "&g0.tab=0&g0.stacked=0&g0.show_exemplars=0&g0.range_input=" + minutes + "m";
            Path output = Paths.get(options.get("output")).toAbsolutePath();
            Files.createDirectories(output.getParent());
            screenshot(url, output, options.get("window-size"));
            return report.append("\nExpression: `").append(expression).append("`\n\nPicture: ").append(options.get("output"))
                .append('\n').toString();
        }
    }

    /** The panel's expressions, each labelled with its outcome, as one query: one series per outcome in one graph. */
    static String panelExpression(String instance) throws Exception {
        return GrafanaDashboard.expressions(PANEL).stream().map(expression -> {
            Matcher outcome = OUTCOME.matcher(expression);
            if (!outcome.find()) {
                throw new IllegalStateException("no outcome in " + expression);
            }
            return "label_replace(" + GrafanaDashboard.substitute(expression, RATE_INTERVAL, instance) + ", \"outcome\", \""
                + outcome.group(1) + "\", \"\", \"\")";
        }).collect(Collectors.joining(" or "));
    }

    private static void screenshot(String url, Path output, String windowSize) throws Exception {
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--virtual-time-budget=20000", "--window-size=" + windowSize, "--screenshot=" + output, url)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!chromium.waitFor(2, TimeUnit.MINUTES) || chromium.exitValue() != 0 || !Files.exists(output)) {
            chromium.destroyForcibly();
            throw new IllegalStateException("chromium did not write " + output);
        }
    }
}
