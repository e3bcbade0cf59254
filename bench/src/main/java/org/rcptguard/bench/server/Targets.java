package org.rcptguard.bench.server;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.it.CassandraStoreSettings;
import org.rcptguard.launcher.CassandraNode;

/**
 * Starts the servers of the benchmarks by name, sharing one forked Cassandra node among the Cassandra targets and
 * stopping everything on {@link #close()}.
 *
 * <ul>
 * <li>{@code james-stock}: James 3.8.1 with its ValidRcptHandler;</li>
 * <li>{@code rcptguard-memory}, {@code rcptguard-cassandra}: James with RcptGuard on that store, SPF off;</li>
 * <li>{@code rcptguard-memory-spf}: the memory one with SPF on, its James asking a dnsmasq of its own that serves the
 * sender domains' SPF records;</li>
 * <li>{@code rcptguard-<mixed.mode>[-data]}: RcptGuard (memory) with that mixed-recipient mode, and
 * {@code reject.mode=data} with the suffix;</li>
 * <li>{@code postfix-postgrey} (greylisting first, RcptGuard's order), {@code postfix-postgrey-reject-first} (the usual
 * setup: unknown recipients rejected before greylisting), {@code postfix} (no postgrey).</li>
 * </ul>
 */
public final class Targets implements AutoCloseable {
    public static final List<String> MIXED_MODES = List.of("defer-after-change", "same-class", "one-recipient-per-transaction");

    private final Path workDir;
    private final Path repository;
    private final String domain;
    private final List<String> recipients;
    private final Map<String, String> policy;
    private final List<String> postfixArguments;
    private final Map<String, String> spfRecords;
    private final List<AutoCloseable> started = new ArrayList<>();
    private CassandraNode cassandra;

    /**
     * @param policy   rcptguard.properties settings of every RcptGuard target ({@code greylist.delay} among them,
     *                 in seconds, e.g. {@code 2s}); the same delay is given to postgrey
     * @param postfixArguments extra arguments of {@code postfix-instance start} (e.g. {@code --auto-whitelist 5})
     * @param spfRecords the SPF records (domain → TXT) the DNS server of an SPF target serves
     */
    public Targets(Path workDir, String domain, List<String> recipients, Map<String, String> policy, List<String> postfixArguments,
                   Map<String, String> spfRecords) {
        this.workDir = workDir.toAbsolutePath();
        this.repository = Paths.get(System.getProperty("rcptguard.repository.dir", ".")).toAbsolutePath();
        this.domain = domain;
        this.recipients = List.copyOf(recipients);
        this.policy = Map.copyOf(policy);
        this.postfixArguments = List.copyOf(postfixArguments);
        this.spfRecords = Map.copyOf(spfRecords);
    }

    public BenchTarget start(String name) {
        BenchTarget target = create(name);
        started.add(target);
        return target;
    }

    private BenchTarget create(String name) {
        Duration delay = RcptGuardSettings.parseDuration("greylist.delay", policy.get("greylist.delay"));
        switch (name) {
            case "james-stock":
                return JamesTarget.stock(workDir, domain, recipients);
            case "rcptguard-memory":
                return JamesTarget.rcptGuard(name, workDir, settings("memory"), domain, recipients);
            case "rcptguard-memory-spf":
                return JamesTarget.rcptGuardWithSpf(name, workDir, settings("memory"), spfRecords, domain, recipients);
            case "rcptguard-cassandra":
                Map<String, String> cassandraSettings = new LinkedHashMap<>(CassandraStoreSettings
                    .on(List.of(cassandra().contactPoint()), "rcptguard_bench").consistency("LOCAL_ONE", "LOCAL_ONE").asMap());
                cassandraSettings.putAll(policy);
                return JamesTarget.rcptGuard(name, workDir, cassandraSettings, domain, recipients)
                    .countingCpuOf(cassandra().pid());
            case "postfix-postgrey":
                return PostfixTarget.start(name, repository, workDir, "greylist-first", delay, domain, recipients, postfixArguments);
            case "postfix-postgrey-reject-first":
                return PostfixTarget.start(name, repository, workDir, "reject-first", delay, domain, recipients, postfixArguments);
            case "postfix":
                return PostfixTarget.start(name, repository, workDir, "none", delay, domain, recipients, postfixArguments);
            default:
                return rcptGuardMode(name);
        }
    }

    private BenchTarget rcptGuardMode(String name) {
        String mode = name.startsWith("rcptguard-") ? name.substring("rcptguard-".length()) : "";
        boolean data = mode.endsWith("-data");
        mode = data ? mode.substring(0, mode.length() - "-data".length()) : mode;
        if (!MIXED_MODES.contains(mode)) {
            throw new IllegalArgumentException("unknown target '" + name + "'");
        }
        Map<String, String> settings = settings("memory");
        settings.put("mixed.mode", mode);
        settings.put("reject.mode", data ? "data" : "rcpt");
        return JamesTarget.rcptGuard(name, workDir, settings, domain, recipients);
    }

    private Map<String, String> settings(String store) {
        Map<String, String> settings = new LinkedHashMap<>(policy);
        settings.put("store", store);
        return settings;
    }

    private CassandraNode cassandra() {
        if (cassandra == null) {
            cassandra = CassandraNode.builder().name("bench").heap("1g").workDir(workDir.resolve("cassandra")).build().start();
        }
        return cassandra;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping a target: " + e);
            }
        }
        started.clear();
        if (cassandra != null) {
            cassandra.close();
            cassandra = null;
        }
    }
}
