package org.rcptguard.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rcptguard.bench.server.JamesTarget;
import org.rcptguard.bench.server.PostfixTarget;
import org.rcptguard.it.CassandraStoreSettings;
import org.rcptguard.it.FakeSmtpBackend;
import org.rcptguard.launcher.CassandraNode;

/**
 * The servers of the flood matrix (bench/flood-matrix.sh), started and kept up until the process is stopped: James
 * with RcptGuard on the memory store and on a Cassandra node, each with a hosted domain (example.com, user alice), a
 * list domain (example.net) and an SMTP-verified domain (example.org) whose backend answers every RCPT after 200 ms,
 * every other setting at its default; and Postfix + postgrey (greylisting first). Writes one line per matrix target,
 * {@code LABEL:PORT:HOSTILE_DOMAIN:LEGIT_RCPT}, to the targets file once everything is up.
 */
public final class FloodServers {
    private FloodServers() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("stores", "memory,cassandra");
        defaults.put("postfix", "true");
        defaults.put("backend-delay-ms", "200");
        defaults.put("work-dir", "bench/target/flood");
        defaults.put("targets-file", "bench/target/flood/targets");
        Options options = new Options(args, defaults);
        Path workDir = Paths.get(options.get("work-dir")).toAbsolutePath();
        Files.createDirectories(workDir);
        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "flood-servers-stop"));
        try {
            start(options, workDir, started);
        } catch (Exception | Error e) {
            // the backend's threads would keep this process up with nothing to serve: the script waits for it
            e.printStackTrace();
            System.exit(1);
        }
        Thread.currentThread().join();
    }

    private static void start(Options options, Path workDir, List<AutoCloseable> started) throws Exception {
        FakeSmtpBackend backend = new FakeSmtpBackend(address -> false, Duration.ofMillis(options.integer("backend-delay-ms")));
        started.add(backend);
        Path list = workDir.resolve("recipients-example.net.txt");
        Files.writeString(list, "bob@example.net\n", StandardCharsets.US_ASCII);
        // every setting at its default; greylist.delay written out, as the benchmark targets read it
        Map<String, String> directories = Map.of(
            "greylist.delay", "5m",
            "directory.domains", "example.net,example.org",
            "directory.example.net.sources", "list",
            "directory.example.net.list", list.toString(),
            "directory.example.org.sources", "smtp",
            "directory.example.org.smtp.host", "127.0.0.1:" + backend.port());
        List<String> targets = new ArrayList<>();
        for (String store : options.list("stores")) {
            Map<String, String> settings = new LinkedHashMap<>(directories);
            settings.put("store", store);
            if ("cassandra".equals(store)) {
                CassandraNode cassandra = CassandraNode.builder().name("flood").heap("1g")
                    .workDir(workDir.resolve("cassandra")).build().start();
                started.add(cassandra);
                settings.putAll(CassandraStoreSettings.on(List.of(cassandra.contactPoint()), "rcptguard_flood")
                    .consistency("LOCAL_ONE", "LOCAL_ONE").asMap());
            }
            System.err.println("starting rcptguard-" + store);
            JamesTarget james = JamesTarget.rcptGuard("rcptguard-" + store, workDir, settings, "example.com",
                List.of("alice@example.com"));
            started.add(james);
            targets.add("rcptguard-" + store + "-hosted:" + james.smtpPort() + ":example.com:alice@example.com");
            targets.add("rcptguard-" + store + "-list:" + james.smtpPort() + ":example.net:alice@example.com");
            targets.add("rcptguard-" + store + "-smtp:" + james.smtpPort() + ":example.org:alice@example.com");
        }
        if (Boolean.parseBoolean(options.get("postfix"))) {
            PostfixTarget postfix = PostfixTarget.start("postfix-postgrey",
                Paths.get(System.getProperty("rcptguard.repository.dir", ".")).toAbsolutePath(), workDir, "greylist-first",
                Duration.ofMinutes(5), "example.net", List.of("alice@example.net"), List.of());
            started.add(postfix);
            targets.add("postfix-postgrey:" + postfix.smtpPort() + ":example.net:alice@example.net");
        }
        Files.write(Paths.get(options.get("targets-file")), targets, StandardCharsets.US_ASCII);
        System.err.println("flood servers up: " + targets);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping a flood server: " + e);
            }
        }
    }
}
