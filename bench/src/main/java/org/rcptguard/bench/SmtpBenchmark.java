package org.rcptguard.bench;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

import org.rcptguard.bench.smtp.LoadGenerator;
import org.rcptguard.bench.smtp.LoadResult;
import org.rcptguard.bench.smtp.Scenario;
import org.rcptguard.bench.smtp.TrafficModel;
import org.rcptguard.bench.server.BenchTarget;
import org.rcptguard.bench.server.Targets;

/**
 * The throughput and latency benchmark: starts every target, warms the steady state's triplets up on each, then
 * runs each scenario round after round, the targets in a rotated order each round so that machine noise spreads over
 * all of them, and prints per scenario the medians and ranges with the ratios to stock James and to Postfix.
 * Run by {@code bench/run-smtp-benchmark}.
 */
public final class SmtpBenchmark {
    static final String STOCK = "james-stock";
    static final String POSTFIX = "postfix-postgrey";
    private static final int JIT_SLICE_SECONDS = 15;
    private static final double JIT_IDLE_SHARE = 0.03;

    private SmtpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("targets", String.join(",", STOCK, "rcptguard-memory", "rcptguard-cassandra", POSTFIX));
        defaults.put("scenarios", "steady,first-contact,scan,mixed");
        defaults.put("rounds", "3");
        defaults.put("seconds", "10");
        defaults.put("jit-warmup-seconds", "60");
        defaults.put("jit-warmup-max-seconds", "600");
        defaults.put("scenario-warmup-seconds", "15");
        defaults.put("sessions", "32");
        defaults.put("transactions", "5");
        defaults.put("greylist-delay", "10");
        defaults.put("work-dir", "bench/target/smtp-benchmark");
        Options.runAndReport(args, defaults, "bench/target/smtp-benchmark.md", SmtpBenchmark::run);
    }

    static String run(Options options) throws Exception {
        TrafficModel model = TrafficModel.standard("example.com");
        Map<String, String> policy = Map.of("greylist.delay", options.get("greylist-delay") + "s",
            "greylist.retry.window", "1h", "autowhitelist.passes", "5");
        Duration runTime = Duration.ofSeconds(options.integer("seconds"));
        StringBuilder report = new StringBuilder();
        try (Targets targets = new Targets(Paths.get(options.get("work-dir")), model.domain(), model.validRecipients(),
            policy, List.of("--auto-whitelist", "5", "--max-smtpd", String.valueOf(Math.max(100, 2 * options.integer("sessions")))),
            model.spfRecords())) {
            List<BenchTarget> started = new ArrayList<>();
            List<String> jitWarmUps = new ArrayList<>();
            for (String name : options.list("targets")) {
                System.err.println("starting " + name);
                BenchTarget target = targets.start(name);
                long cold = generator(target, model, options).warmUp(target.greylistDelay());
                System.err.println(name + ": greylisting warm-up done, " + cold + " recipients still not accepted");
                if (cold > 0) {
                    throw new IllegalStateException(name + " did not accept the warmed-up triplets (" + cold + " refused)");
                }
                String jit = warmUpCompilers(target, generator(target, model, options), options);
                System.err.println(name + ": JIT warm-up " + jit);
                jitWarmUps.add(name + " " + jit);
                started.add(target);
            }
            report.append(header(options, jitWarmUps));
            for (String label : options.list("scenarios")) {
                Scenario scenario = Scenario.parse(label);
                Map<String, List<Run>> runs = new LinkedHashMap<>();
                started.forEach(target -> runs.put(target.name(), new ArrayList<>()));
                // Each scenario runs once unmeasured first: the mixed warm-up leaves a JVM recompiling for the first
                // 20-30 s of a scenario's own mix (Cassandra's compiler took half a core in a first-contact run).
                for (BenchTarget target : started) {
                    System.err.println(scenario.label() + " warm-up " + target.name() + ": " + generator(target, model, options)
                        .run(scenario, Duration.ofSeconds(options.integer("scenario-warmup-seconds")), -1));
                }
                for (int round = 0; round < options.integer("rounds"); round++) {
                    for (int i = 0; i < started.size(); i++) {
                        BenchTarget target = started.get((i + round) % started.size());
                        OptionalDouble requestsBefore = target.cassandraRequests();
                        OptionalDouble queriesBefore = target.dnsQueries();
                        OptionalDouble cpuBefore = target.cpuSeconds();
                        LoadResult result = generator(target, model, options).run(scenario, runTime, round * 31L + i);
                        double requests = since(requestsBefore, target.cassandraRequests());
                        double queries = since(queriesBefore, target.dnsQueries());
                        double cpu = since(cpuBefore, target.cpuSeconds());
                        System.err.println(scenario.label() + " round " + (round + 1) + " " + target.name() + ": " + result
                            + (Double.isNaN(queries) ? "" : String.format(", %.0f DNS queries", queries)));
                        runs.get(target.name()).add(new Run(result, requests, queries, cpu));
                    }
                }
                report.append(table(scenario, runs));
            }
        }
        return report.toString();
    }

    /**
     * Mixed load until the target's JIT compilers are idle: its steady state is that of a server that has run for
     * days, not of one still compiling. On two cores a JVM has one C2 thread, and James's took about four minutes of
     * this load to compile what it runs (a tenth of a core until then); measured sooner, a target with more code to
     * compile (RcptGuard) looks slower than it is. At least {@code jit-warmup-seconds}, then slices of
     * {@value #JIT_SLICE_SECONDS} s until the compilers used under {@value #JIT_IDLE_SHARE} of a core in one, at most
     * {@code jit-warmup-max-seconds}; a target whose compilers cannot be read (Postfix) gets the least.
     *
     * @return how long it took and what its compilers used in the last slice, for the report
     */
    static String warmUpCompilers(BenchTarget target, LoadGenerator load, Options options) throws InterruptedException {
        long least = options.integer("jit-warmup-seconds");
        long most = Math.max(least, options.integer("jit-warmup-max-seconds"));
        load.run(Scenario.MIXED, Duration.ofSeconds(least), -1);
        long elapsed = least;
        double share = Double.NaN;
        OptionalDouble before = target.compilerCpuSeconds();
        while (before.isPresent()) {
            load.run(Scenario.MIXED, Duration.ofSeconds(JIT_SLICE_SECONDS), -1);
            elapsed += JIT_SLICE_SECONDS;
            OptionalDouble after = target.compilerCpuSeconds();
            share = (after.orElseThrow() - before.getAsDouble()) / JIT_SLICE_SECONDS;
            if (share < JIT_IDLE_SHARE || elapsed >= most) {
                break;
            }
            before = after;
        }
        return Double.isNaN(share) ? elapsed + " s"
            : String.format("%d s (compilers %.1f %% of a core in the last %d s%s)", elapsed, 100 * share,
                JIT_SLICE_SECONDS, share < JIT_IDLE_SHARE ? "" : ", still compiling at jit-warmup-max-seconds");
    }

    /** The growth of a counter over a run; NaN where the target does not count it. */
    private static double since(OptionalDouble before, OptionalDouble after) {
        return before.isPresent() ? after.getAsDouble() - before.getAsDouble() : Double.NaN;
    }

    private static LoadGenerator generator(BenchTarget target, TrafficModel model, Options options) {
        return new LoadGenerator("127.0.0.1", target.smtpPort(), model, options.integer("sessions"),
            options.integer("transactions"));
    }

    private static String header(Options options, List<String> jitWarmUps) {
        return String.format("SMTP benchmark: %s concurrent sessions of %s transactions, %s s per run, %s rounds "
                + "(targets in rotated order each round) after mixed load until the JIT compilers were idle (%s) and %s s of "
                + "each scenario unmeasured before its rounds, "
                + "greylisting delay %s s, %d cores, %s.%n"
                + "Figures: median (min–max) over the rounds; latencies are the medians of each run's percentiles; a ratio "
                + "is taken round by round (each run against the reference's run of the same round); CPU is the target's "
                + "JVMs' (James, and Cassandra for a Cassandra target) per 1,000 RCPT decisions.%n%n",
            options.get("sessions"), options.get("transactions"), options.get("seconds"), options.get("rounds"),
            String.join("; ", jitWarmUps), options.get("scenario-warmup-seconds"), options.get("greylist-delay"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version"));
    }

    static String table(Scenario scenario, Map<String, List<Run>> runs) {
        StringBuilder table = new StringBuilder();
        table.append("### ").append(scenario.label()).append("\n\n")
            .append("| target | RCPT/s | msg/s | p50 ms | p99 ms | p99.9 ms | × stock James | × Postfix | "
                + "CPU ms/1000 RCPT | Cassandra req/RCPT | DNS queries/transaction | RCPT 2xx/4xx/5xx | broken sessions |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        runs.forEach((name, list) -> {
            long accepted = list.stream().mapToLong(run -> run.result.accepted()).sum();
            long deferred = list.stream().mapToLong(run -> run.result.deferred()).sum();
            long rejected = list.stream().mapToLong(run -> run.result.rejected()).sum();
            long total = Math.max(1, accepted + deferred + rejected);
            table.append("| ").append(name)
                .append(" | ").append(spread(list, run -> run.result.rcptPerSecond()).format("%,.0f"))
                .append(" | ").append(spread(list, run -> run.result.messagesPerSecond()).format("%,.0f"))
                .append(" | ").append(spread(list, run -> run.result.p50Millis()).format("%.2f"))
                .append(" | ").append(spread(list, run -> run.result.p99Millis()).format("%.1f"))
                .append(" | ").append(spread(list, run -> run.result.p999Millis()).format("%.1f"))
                .append(" | ").append(ratios(list, runs.get(STOCK)).format("%.2f"))
                .append(" | ").append(ratios(list, runs.get(POSTFIX)).format("%.2f"))
                .append(" | ").append(spread(list, run -> 1e6 * run.cpuSeconds / run.result.rcptDecisions())
                    .format("%,.0f"))
                .append(" | ").append(spread(list, run -> run.cassandraRequests / run.result.rcptDecisions()).format("%.2f"))
                .append(" | ").append(spread(list, run -> run.dnsQueries / run.result.transactions()).format("%.3f"))
                .append(" | ").append(String.format("%d%% / %d%% / %d%%", 100 * accepted / total, 100 * deferred / total,
                    100 * rejected / total))
                .append(" | ").append(list.stream().mapToLong(run -> run.result.errors()).sum())
                .append(" |\n");
        });
        return table.append("\n").toString();
    }

    /**
     * Throughput against the reference's, round by round: runs of one round are minutes apart at most, runs of
     * different rounds may be ten, and this machine's speed drifts by more than the differences measured.
     */
    private static Spread ratios(List<Run> runs, List<Run> reference) {
        return reference == null ? Spread.of(List.of()) : roundByRound(rates(runs), rates(reference));
    }

    /** The ratios of the values to the reference's of the same round (index), where both were measured. */
    static Spread roundByRound(List<Double> values, List<Double> reference) {
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < Math.min(values.size(), reference.size()); round++) {
            if (reference.get(round) > 0) {
                ratios.add(values.get(round) / reference.get(round));
            }
        }
        return Spread.of(ratios);
    }

    private static List<Double> rates(List<Run> runs) {
        List<Double> rates = new ArrayList<>();
        runs.forEach(run -> rates.add(run.result.rcptPerSecond()));
        return rates;
    }

    private static Spread spread(List<Run> runs, ToDoubleFunction<Run> value) {
        List<Double> values = new ArrayList<>();
        runs.forEach(run -> values.add(value.applyAsDouble(run)));
        values.removeIf(v -> Double.isNaN(v));
        return Spread.of(values);
    }

    /**
     * One run of one target: the load's figures, the Cassandra requests made, the DNS queries received and the CPU
     * seconds the target's JVMs used meanwhile (NaN where not counted).
     */
    static final class Run {
        final LoadResult result;
        final double cassandraRequests;
        final double dnsQueries;
        final double cpuSeconds;

        Run(LoadResult result, double cassandraRequests, double dnsQueries, double cpuSeconds) {
            this.result = result;
            this.cassandraRequests = cassandraRequests;
            this.dnsQueries = dnsQueries;
            this.cpuSeconds = cpuSeconds;
        }
    }
}
