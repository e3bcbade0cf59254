package org.rcptguard.bench.soak;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rcptguard.bench.Options;
import org.rcptguard.bench.server.JamesTarget;
import org.rcptguard.bench.smtp.LoadGenerator;
import org.rcptguard.bench.smtp.LoadResult;
import org.rcptguard.bench.smtp.Scenario;
import org.rcptguard.bench.smtp.TrafficModel;
import org.rcptguard.it.CassandraStoreSettings;
import org.rcptguard.launcher.CassandraNode;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * The long soak: minute after minute of the benchmark's mixed load against one James with RcptGuard, while a
 * {@link DistributedScan} names unknown recipients from 65,536 distinct client networks, sampling after each minute
 * the James JVM's heap after a full GC, threads and open files, the minute's RCPT reply latency, and on Cassandra the
 * largest partition and the tombstones read per query from Cassandra's own table statistics. Run by
 * {@code bench/run-soak}; prints one row per minute.
 */
public final class Soak {
    private static final String KEYSPACE = "rcptguard_soak";

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("store", "cassandra");
        defaults.put("minutes", "10");
        defaults.put("sessions", "16");
        defaults.put("scan-networks", "65536");
        defaults.put("max-entries", "200000");
        defaults.put("greylist-delay", "2");
        defaults.put("work-dir", "bench/target/soak");
        Options.runAndReport(args, defaults, "bench/target/soak.md", Soak::run);
    }

    static String run(Options options) throws Exception {
        TrafficModel model = TrafficModel.standard("example.com");
        Path workDir = Paths.get(options.get("work-dir")).toAbsolutePath();
        String store = options.get("store");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("greylist.delay", options.get("greylist-delay") + "s");
        settings.put("greylist.retry.window", "1h");
        settings.put("autowhitelist.passes", "5");
        settings.put("store", store);
        settings.put("store.memory.max.entries", options.get("max-entries"));
        CassandraNode cassandra = null;
        CassandraTableStats tableStats = null;
        if ("cassandra".equals(store)) {
            int jmxPort = JamesServerProcess.freePort(false);
            cassandra = CassandraNode.builder().name("soak").heap("1g").workDir(workDir.resolve("cassandra"))
                .jvmArg("-Dcassandra.jmx.local.port=" + jmxPort).build().start();
            settings.putAll(CassandraStoreSettings.on(List.of(cassandra.contactPoint()), KEYSPACE)
                .consistency("LOCAL_ONE", "LOCAL_ONE").asMap());
            tableStats = new CassandraTableStats(jmxPort, KEYSPACE);
        }
        List<String> rows = new ArrayList<>();
        try (JamesTarget james = JamesTarget.rcptGuard("rcptguard-" + store, workDir, settings, model.domain(),
            model.validRecipients())) {
            LoadGenerator load = new LoadGenerator("127.0.0.1", james.smtpPort(), model, options.integer("sessions"), 5);
            long cold = load.warmUp(james.greylistDelay());
            System.err.println("warm-up done, " + cold + " recipients still not accepted");
            JvmSample start = JvmSample.of(james.pid());
            rows.add(row(0, null, start, null, tableStats));
            int minutes = options.integer("minutes");
            try (DistributedScan scan = DistributedScan.start("127.0.0.1", james.smtpPort(), model.domain(),
                options.integer("scan-networks"), Duration.ofMinutes(minutes))) {
                for (int minute = 1; minute <= minutes; minute++) {
                    LoadResult result = load.run(Scenario.MIXED, Duration.ofMinutes(1), minute);
                    String row = row(minute, result, JvmSample.of(james.pid()), scan, tableStats);
                    System.err.println(row);
                    rows.add(row);
                }
            }
        } finally {
            if (cassandra != null) {
                cassandra.close();
            }
        }
        return header(options) + String.join("\n", rows) + "\n";
    }

    private static String header(Options options) {
        return String.format("Soak: RcptGuard on %s, %s min of mixed load (%s sessions) and a scan from %s networks "
                + "(one session each, 2 unknown recipients), store.memory.max.entries=%s, %d cores.%n%n"
                + "| minute | RCPT/s | p99 ms | broken sessions | scan networks | scan replies 451 / other / failed sessions | heap after GC MiB "
                + "| threads | open files | largest partition bytes (table) | tombstones/read max |%n"
                + "|---|---|---|---|---|---|---|---|---|---|---|%n",
            options.get("store"), options.get("minutes"), options.get("sessions"), options.get("scan-networks"),
            options.get("max-entries"), Runtime.getRuntime().availableProcessors());
    }

    private static String row(int minute, LoadResult load, JvmSample jvm, DistributedScan scan, CassandraTableStats stats) {
        String cassandra = "– | –";
        if (stats != null) {
            CassandraTableStats.Figures figures = stats.read();
            cassandra = figures.largestPartitionBytes() + " (" + figures.largestPartitionTable() + ") | "
                + figures.maxTombstonesPerRead();
        }
        return String.format("| %d | %s | %s | %s | %s | %s | %.1f | %d | %d | %s |", minute,
            load == null ? "–" : String.format("%,.0f", load.rcptPerSecond()),
            load == null ? "–" : String.format("%.1f", load.p99Millis()),
            load == null ? "–" : String.valueOf(load.errors()),
            scan == null ? "0" : String.format("%,d", scan.sessions()),
            scan == null ? "–" : scan.deferrals() + " / " + scan.otherReplies() + " / " + scan.failures(),
            jvm.heapAfterGcKib() / 1024.0, jvm.threads(), jvm.openFiles(), cassandra);
    }
}
