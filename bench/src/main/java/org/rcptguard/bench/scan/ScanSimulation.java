package org.rcptguard.bench.scan;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.rcptguard.bench.Options;
import org.rcptguard.bench.server.BenchTarget;
import org.rcptguard.bench.server.Targets;
import org.rcptguard.core.RcptGuardSettings;

/**
 * Plays every {@link Strategy} against every target at once (each strategy from its own networks, so that one's
 * penalties do not slow another) with the scaled settings of {@code bench/scan-settings.properties}, and prints what
 * each scanner learned and spent. Run by {@code bench/run-scan-simulation}.
 */
public final class ScanSimulation {
    static final String DOMAIN = "example.com";
    private static final List<String> RCPTGUARD_SETTINGS = List.of("greylist.delay", "greylist.retry.window",
        "greylist.lifetime", "scan.window", "scan.threshold", "scan.penalty.factor", "scan.penalty.max",
        "autowhitelist.passes");

    private ScanSimulation() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("targets", String.join(",", "james-stock", "postfix-postgrey-reject-first", "postfix-postgrey",
            "rcptguard-defer-after-change", "rcptguard-same-class", "rcptguard-one-recipient-per-transaction",
            "rcptguard-defer-after-change-data", "rcptguard-same-class-data", "rcptguard-one-recipient-per-transaction-data"));
        defaults.put("strategies", Arrays.stream(Strategy.values()).map(Strategy::label).collect(Collectors.joining(",")));
        defaults.put("settings", "bench/scan-settings.properties");
        defaults.put("budget", "");
        defaults.put("work-dir", "bench/target/scan-simulation");
        Options.runAndReport(args, defaults, "bench/target/scan-simulation.md", ScanSimulation::run);
    }

    static String run(Options options) throws Exception {
        Properties settings = load(Paths.get(options.get("settings")));
        Duration budget = RcptGuardSettings.parseDuration("budget", options.get("budget").isEmpty()
            ? settings.getProperty("budget") : options.get("budget"));
        Duration window = RcptGuardSettings.parseDuration("scan.window", settings.getProperty("scan.window"));
        Duration retry = RcptGuardSettings.parseDuration("retry", settings.getProperty("retry"));
        int candidates = Integer.parseInt(settings.getProperty("candidates"));
        int validCount = Integer.parseInt(settings.getProperty("valid"));
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < validCount; i++) {
            valid.add("user" + i + "@" + DOMAIN);
        }
        Map<String, String> policy = new LinkedHashMap<>();
        RCPTGUARD_SETTINGS.forEach(key -> policy.put(key, settings.getProperty(key)));
        // harvest detection's settings, where the file scales them (else RcptGuard's defaults)
        settings.stringPropertyNames().stream().filter(key -> key.startsWith("harvest.")).sorted()
            .forEach(key -> policy.put(key, settings.getProperty(key)));
        // "none": the legitimate background alone, the false-alarm run of harvest detection
        List<Strategy> strategies = options.list("strategies").stream().filter(label -> !label.equals("none"))
            .map(label -> Strategy.valueOf(label.toUpperCase().replace('-', '_'))).collect(Collectors.toList());

        Map<String, List<ScanResult>> results = new LinkedHashMap<>();
        Map<String, LegitimateSenders.Result> legitimate = new LinkedHashMap<>();
        Map<String, String> harvestStarts = new LinkedHashMap<>();
        // Postfix with its own defaults: its error throttling is its defence against scanners; the scanners' sender
        // domains publish no SPF
        try (Targets targets = new Targets(Paths.get(options.get("work-dir")), DOMAIN, valid, policy,
            List.of("--tuning", "stock", "--auto-whitelist", settings.getProperty("autowhitelist.passes")), Map.of())) {
            List<BenchTarget> started = new ArrayList<>();
            for (String name : options.list("targets")) {
                System.err.println("starting " + name);
                started.add(targets.start(name));
            }
            ExecutorService scanners = Executors.newCachedThreadPool();
            Map<String, List<Future<ScanResult>>> futures = new LinkedHashMap<>();
            Map<String, Future<LegitimateSenders.Result>> background = new LinkedHashMap<>();
            for (BenchTarget target : started) {
                if (settings.containsKey("legitimate.interval")) {
                    LegitimateSenders senders = new LegitimateSenders("127.0.0.1", target.smtpPort(), valid,
                        RcptGuardSettings.parseDuration("legitimate.interval", settings.getProperty("legitimate.interval")),
                        Double.parseDouble(settings.getProperty("legitimate.typos", "0")), retry);
                    background.put(target.name(), scanners.submit(() -> senders.run(budget)));
                }
                List<Future<ScanResult>> perTarget = new ArrayList<>();
                for (Strategy strategy : strategies) {
                    List<String> list = candidates(strategy, valid, candidates);
                    Scanner scanner = new Scanner("127.0.0.1", target.smtpPort(), strategy, 100 + strategy.ordinal(),
                        list, new HashSet<>(valid), retry, window);
                    perTarget.add(scanners.submit(() -> scanner.run(budget)));
                }
                futures.put(target.name(), perTarget);
            }
            for (Map.Entry<String, List<Future<ScanResult>>> entry : futures.entrySet()) {
                List<ScanResult> perTarget = new ArrayList<>();
                for (Future<ScanResult> future : entry.getValue()) {
                    ScanResult result = future.get();
                    System.err.println(entry.getKey() + " " + result);
                    perTarget.add(result);
                }
                results.put(entry.getKey(), perTarget);
            }
            for (Map.Entry<String, Future<LegitimateSenders.Result>> entry : background.entrySet()) {
                legitimate.put(entry.getKey(), entry.getValue().get());
                System.err.println(entry.getKey() + " " + legitimate.get(entry.getKey()));
            }
            started.forEach(target -> harvestStarts.put(target.name(), target.harvestStarts().isPresent()
                ? String.valueOf((long) target.harvestStarts().getAsDouble()) : "-"));
            scanners.shutdown();
        }
        return (strategies.isEmpty() ? "" : report(settings, budget, window, results))
            + legitimateReport(legitimate, harvestStarts);
    }

    /** The valid addresses and invalid ones of the strategy's own (so that scanners do not share unknown addresses), mixed. */
    public static List<String> candidates(Strategy strategy, List<String> valid, int count) {
        List<String> list = new ArrayList<>(count);
        int step = Math.max(1, count / Math.max(1, valid.size()));
        int nextValid = 0;
        for (int i = 0; list.size() < count; i++) {
            if (i % step == 0 && nextValid < valid.size()) {
                list.add(valid.get(nextValid++));
            } else {
                list.add("name" + i + "-" + strategy.ordinal() + "@" + DOMAIN);
            }
        }
        return list;
    }

    static String report(Properties settings, Duration budget, Duration window, Map<String, List<ScanResult>> results) {
        StringBuilder report = new StringBuilder();
        int scale = Integer.parseInt(settings.getProperty("scale"));
        report.append(String.format("Scan simulation: durations scaled down %d× (greylisting delay %s, scan window %s, "
                + "budget %d s = %.1f h unscaled), %s candidates of which %s valid, every scanner from its own networks.%n%n",
            scale, settings.getProperty("greylist.delay"), settings.getProperty("scan.window"), budget.toSeconds(),
            budget.toSeconds() * scale / 3600.0, settings.getProperty("candidates"), settings.getProperty("valid")));
        report.append(matrix(results)).append("\n");
        report.append("| target | strategy | classified (valid + invalid) | wrong | sessions (cut by the server) | commands | "
            + "elapsed s | first valid found s | classified per network per scan window |\n|---|---|---|---|---|---|---|---|---|\n");
        results.forEach((target, list) -> list.forEach(result -> report.append(String.format(
            "| %s | %s | %d (%d + %d) | %d | %d (%d) | %d | %.1f | %s | %.1f |%n", target, result.strategy().label(),
            result.classified(), result.learnedValid(), result.learnedInvalid(), result.wrong(), result.sessions(),
            result.brokenSessions(), result.commands(), result.elapsed().toMillis() / 1000.0,
            result.firstValidFound().map(found -> String.format("%.1f", found.toMillis() / 1000.0)).orElse("never"),
            result.classifiedPerNetworkPerWindow(window)))));
        report.append("\n| target | best strategy | classified per network per scan window (best) | classified in the budget (best) |\n|---|---|---|---|\n");
        results.forEach((target, list) -> {
            ScanResult best = list.stream().max((a, b) -> Double.compare(a.classifiedPerNetworkPerWindow(window),
                b.classifiedPerNetworkPerWindow(window))).orElseThrow();
            int most = list.stream().mapToInt(ScanResult::classified).max().orElse(0);
            report.append(String.format("| %s | %s | %.1f | %d of %d |%n", target, best.strategy().label(),
                best.classifiedPerNetworkPerWindow(window), most, best.candidates()));
        });
        return report.append("\n").toString();
    }

    /**
     * What the legitimate background saw beside the scanners (or alone), a row per target, with the harvests the
     * target saw start over the whole run; empty when it did not run.
     */
    static String legitimateReport(Map<String, LegitimateSenders.Result> legitimate, Map<String, String> harvestStarts) {
        if (legitimate.isEmpty()) {
            return "";
        }
        StringBuilder report = new StringBuilder("| target | first-contact senders (typos) | delivered | first-contact delay s, "
            + "median / max | undelivered at the end | valid refused | typos refused / accepted | harvests started |\n"
            + "|---|---|---|---|---|---|---|---|\n");
        legitimate.forEach((target, result) -> report.append(String.format("| %s | %d (%d) | %d | %.1f / %.1f | %d | %d | %d / %d | %s |%n",
            target, result.senders, result.typos, result.delays.size(), result.median().toMillis() / 1000.0,
            result.max().toMillis() / 1000.0, result.undelivered, result.validRefused, result.typosRefused, result.typosAccepted,
            harvestStarts.getOrDefault(target, "-"))));
        return report.append("\n").toString();
    }

    /** Addresses classified, a row per target and a column per strategy. */
    static String matrix(Map<String, List<ScanResult>> results) {
        List<ScanResult> any = results.values().iterator().next();
        StringBuilder matrix = new StringBuilder("| addresses classified | ");
        any.forEach(result -> matrix.append(result.strategy().label()).append(" | "));
        matrix.append("\n|---|").append("---|".repeat(any.size())).append("\n");
        results.forEach((target, list) -> {
            matrix.append("| ").append(target).append(" | ");
            list.forEach(result -> matrix.append(result.classified()).append(result.wrong() > 0 ? " (" + result.wrong() + " wrong)" : "")
                .append(" | "));
            matrix.append("\n");
        });
        return matrix.toString();
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Set<String> required = new HashSet<>(RCPTGUARD_SETTINGS);
        required.addAll(List.of("scale", "budget", "candidates", "valid", "retry"));
        required.removeAll(properties.stringPropertyNames());
        if (!required.isEmpty()) {
            throw new IllegalArgumentException(file + " lacks " + required);
        }
        return properties;
    }
}
