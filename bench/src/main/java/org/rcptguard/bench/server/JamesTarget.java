package org.rcptguard.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.launcher.CassandraNode;
import org.rcptguard.launcher.Dnsmasq;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * A James 3.8.1 memory server forked as the integration tests fork it, from the repository's {@code conf/} with one
 * change: the root processor of mailetcontainer.xml starts with the {@code Null} mailet, so accepted mail is dropped
 * as Postfix's discard transport drops it, and delivery costs the same (nothing) on every target. Stock James is the
 * same configuration without RcptGuard: its {@code ValidRcptHandler} alone decides. James resolves names from a
 * hosts file only, as Postfix is set not to look client names up ({@code smtpd_peername_lookup = no}): see
 * {@link JamesServerProcess.Builder#localNamesOnly()}. The one target that checks SPF keeps that file and gives James's
 * DNS service a server of its own: {@link #rcptGuardWithSpf}.
 */
public final class JamesTarget implements BenchTarget {
    private static final String ROOT_PROCESSOR = "<processor state=\"root\" enableJmx=\"false\">";
    private static final String HEAP = "1g";
    /** The TTL of the SPF records: a common one, so the benchmark's DNS cache behaves as in production. */
    private static final int SPF_TTL_SECONDS = 300;

    private final String name;
    private final JamesServerProcess james;
    private final Duration greylistDelay;
    private final boolean withRcptGuard;
    private final boolean countsCassandraRequests;
    private final Optional<Dnsmasq> dns;
    private final List<Long> cpuPids;

    private JamesTarget(String name, JamesServerProcess james, Duration greylistDelay, boolean withRcptGuard,
                        boolean countsCassandraRequests, Optional<Dnsmasq> dns, List<Long> cpuPids) {
        this.name = name;
        this.james = james;
        this.greylistDelay = greylistDelay;
        this.withRcptGuard = withRcptGuard;
        this.countsCassandraRequests = countsCassandraRequests;
        this.dns = dns;
        this.cpuPids = cpuPids;
    }

    /** This target with the CPU of another process it depends on (its Cassandra node) counted as its own. */
    public JamesTarget countingCpuOf(long pid) {
        List<Long> pids = new ArrayList<>(cpuPids);
        pids.add(pid);
        return new JamesTarget(name, james, greylistDelay, withRcptGuard, countsCassandraRequests, dns,
            List.copyOf(pids));
    }

    /** Stock James with its ValidRcptHandler: the baseline an operator has today. */
    public static JamesTarget stock(Path workDir, String domain, List<String> users) {
        String name = "james-stock";
        JamesServerProcess james = builder(workDir, discardingConf(workDir.resolve("conf-" + name))).withoutRcptGuard().start();
        return withUsers(new JamesTarget(name, james, Duration.ZERO, false, false, Optional.empty(),
            List.of(james.pid())), domain, users);
    }

    /**
     * James with RcptGuard and these rcptguard.properties settings ({@code greylist.delay} among them), SPF off unless
     * they set it: Postfix + postgrey and stock James check no SPF, and the machine's resolver would be measured.
     */
    public static JamesTarget rcptGuard(String name, Path workDir, Map<String, String> settings, String domain, List<String> users) {
        Map<String, String> withoutSpf = new LinkedHashMap<>(Map.of("identity.spf", "false"));
        withoutSpf.putAll(settings);
        return rcptGuard(name, builder(workDir, discardingConf(workDir.resolve("conf-" + name))), withoutSpf,
            Optional.empty(), domain, users);
    }

    /**
     * James with RcptGuard, these settings and SPF on ({@code identity.spf=true}), its DNS service
     * ({@code dnsservice.xml}) asking a dnsmasq of its own (the tests' {@link Dnsmasq}, root needed) that serves these
     * SPF records (domain → TXT) and NXDOMAIN for every other name. The hosts file of the other targets stays: it
     * serves the JVM's own name look-ups, SPF goes through the DNS service. The target stops dnsmasq when it closes.
     */
    public static JamesTarget rcptGuardWithSpf(String name, Path workDir, Map<String, String> settings,
                                               Map<String, String> spfRecords, String domain, List<String> users) {
        List<String> records = new ArrayList<>();
        spfRecords.forEach((sender, record) -> records.add("--txt-record=" + sender + "," + record));
        Dnsmasq dns;
        try {
            dns = Dnsmasq.start(workDir.resolve("dns-" + name), SPF_TTL_SECONDS, records);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": dnsmasq did not start (root and Debian's dnsmasq-base needed)", e);
        }
        Map<String, String> withSpf = new LinkedHashMap<>(settings);
        withSpf.put("identity.spf", "true");
        try {
            Path conf = discardingConf(workDir.resolve("conf-" + name));
            Files.writeString(conf.resolve("dnsservice.xml"), dns.dnsserviceXml(), StandardCharsets.UTF_8);
            return rcptGuard(name, builder(workDir, conf), withSpf, Optional.of(dns), domain, users);
        } catch (IOException e) {
            closeQuietly(dns);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(dns);
            throw e;
        }
    }

    private static JamesTarget rcptGuard(String name, JamesServerProcess.Builder builder, Map<String, String> settings,
                                         Optional<Dnsmasq> dns, String domain, List<String> users) {
        JamesServerProcess james = builder.rcptguardProperties(settings).startTimeout(Duration.ofMinutes(3)).start();
        Duration delay = RcptGuardSettings.parseDuration("greylist.delay", settings.get("greylist.delay"));
        return withUsers(new JamesTarget(name, james, delay, true, "cassandra".equals(settings.get("store")), dns,
            List.of(james.pid())),
            domain, users);
    }

    private static JamesTarget withUsers(JamesTarget target, String domain, List<String> users) {
        target.james.webAdmin().addDomain(domain);
        users.forEach(user -> target.james.webAdmin().addUser(user, "secret"));
        return target;
    }

    private static JamesServerProcess.Builder builder(Path workDir, Path conf) {
        return JamesServerProcess.builder().confDir(conf).workDir(workDir).maxHeap(HEAP).localNamesOnly();
    }

    /** Writes the project's conf/ into {@code conf}, with accepted mail dropped, and returns {@code conf}. */
    private static Path discardingConf(Path conf) {
        try {
            // Copied afresh for every target: a copy kept from an earlier run would measure that run's conf/.
            CassandraNode.deleteRecursively(conf);
            JamesServerProcess.copyTree(JamesServerProcess.projectConfDir(), conf);
            Path mailets = conf.resolve("mailetcontainer.xml");
            String xml = Files.readString(mailets);
            if (!xml.contains(ROOT_PROCESSOR)) {
                throw new IllegalStateException("conf/mailetcontainer.xml has no " + ROOT_PROCESSOR);
            }
            Files.writeString(mailets, xml.replace(ROOT_PROCESSOR,
                ROOT_PROCESSOR + "\n            <mailet match=\"All\" class=\"Null\"/>"));
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int smtpPort() {
        return james.smtpPort();
    }

    @Override
    public Duration greylistDelay() {
        return greylistDelay;
    }

    @Override
    public OptionalDouble cassandraRequests() {
        return countsCassandraRequests
            ? OptionalDouble.of(james.webAdmin().metric("rcptguard_cassandra_requests_total"))
            : OptionalDouble.empty();
    }

    /** James's WebAdmin port, where {@code /metrics} is scraped. */
    public int webAdminPort() {
        return james.webAdminPort();
    }

    @Override
    public OptionalDouble dnsQueries() {
        try {
            return dns.isPresent() ? OptionalDouble.of(dns.get().queries().size()) : OptionalDouble.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OptionalDouble harvestStarts() {
        return withRcptGuard ? OptionalDouble.of(james.webAdmin().metric("rcptguard_harvest_starts_total")) : OptionalDouble.empty();
    }

    @Override
    public OptionalDouble cpuSeconds() {
        double seconds = 0;
        for (long pid : cpuPids) {
            Optional<Duration> cpu = ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration());
            if (cpu.isEmpty()) {
                return OptionalDouble.empty();
            }
            seconds += cpu.get().toNanos() / 1e9;
        }
        return OptionalDouble.of(seconds);
    }

    @Override
    public OptionalDouble compilerCpuSeconds() {
        return CompilerThreads.cpuSeconds(cpuPids);
    }

    /** James's process id, for heap measurements (jstat). */
    public long pid() {
        return james.pid();
    }

    @Override
    public void close() {
        james.close();
        dns.ifPresent(JamesTarget::closeQuietly);
    }

    private static void closeQuietly(Dnsmasq dns) {
        try {
            dns.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
