package org.rcptguard.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * A James 3.8.1 memory server forked as the integration tests fork it, from the repository's {@code conf/} with one
 * change: the root processor of mailetcontainer.xml starts with the {@code Null} mailet, so accepted mail is dropped
 * as Postfix's discard transport drops it, and delivery costs the same (nothing) on every target. Stock James is the
 * same configuration without RcptGuard: its {@code ValidRcptHandler} alone decides. James resolves names from a
 * hosts file only, as Postfix is set not to look client names up ({@code smtpd_peername_lookup = no}): see
 * {@link JamesServerProcess.Builder#localNamesOnly()}.
 */
public final class JamesTarget implements BenchTarget {
    private static final String ROOT_PROCESSOR = "<processor state=\"root\" enableJmx=\"false\">";
    private static final String HEAP = "1g";

    private final String name;
    private final JamesServerProcess james;
    private final Duration greylistDelay;
    private final boolean withRcptGuard;
    private final boolean countsCassandraRequests;

    private JamesTarget(String name, JamesServerProcess james, Duration greylistDelay, boolean withRcptGuard,
                        boolean countsCassandraRequests) {
        this.name = name;
        this.james = james;
        this.greylistDelay = greylistDelay;
        this.withRcptGuard = withRcptGuard;
        this.countsCassandraRequests = countsCassandraRequests;
    }

    /** Stock James with its ValidRcptHandler: the baseline an operator has today. */
    public static JamesTarget stock(Path workDir, String domain, List<String> users) {
        JamesServerProcess james = builder(workDir).withoutRcptGuard().start();
        return withUsers(new JamesTarget("james-stock", james, Duration.ZERO, false, false), domain, users);
    }

    /**
     * James with RcptGuard and these rcptguard.properties settings ({@code greylist.delay} among them), SPF off unless
     * they set it: Postfix + postgrey and stock James check no SPF, and the machine's resolver would be measured.
     */
    public static JamesTarget rcptGuard(String name, Path workDir, Map<String, String> settings, String domain, List<String> users) {
        Map<String, String> withoutSpf = new LinkedHashMap<>(Map.of("identity.spf", "false"));
        withoutSpf.putAll(settings);
        JamesServerProcess james = builder(workDir).rcptguardProperties(withoutSpf)
            .startTimeout(Duration.ofMinutes(3)).start();
        Duration delay = RcptGuardSettings.parseDuration("greylist.delay", settings.get("greylist.delay"));
        return withUsers(new JamesTarget(name, james, delay, true, "cassandra".equals(settings.get("store"))), domain, users);
    }

    private static JamesTarget withUsers(JamesTarget target, String domain, List<String> users) {
        target.james.webAdmin().addDomain(domain);
        users.forEach(user -> target.james.webAdmin().addUser(user, "secret"));
        return target;
    }

    private static JamesServerProcess.Builder builder(Path workDir) {
        return JamesServerProcess.builder().confDir(discardingConf(workDir)).workDir(workDir).maxHeap(HEAP)
            .localNamesOnly();
    }

    static Path discardingConf(Path workDir) {
        Path conf = workDir.resolve("conf-discarding");
        try {
            if (!Files.exists(conf)) {
                JamesServerProcess.copyTree(JamesServerProcess.projectConfDir(), conf);
                Path mailets = conf.resolve("mailetcontainer.xml");
                String xml = Files.readString(mailets);
                if (!xml.contains(ROOT_PROCESSOR)) {
                    throw new IllegalStateException("conf/mailetcontainer.xml has no " + ROOT_PROCESSOR);
                }
                Files.writeString(mailets, xml.replace(ROOT_PROCESSOR,
                    ROOT_PROCESSOR + "\n            <mailet match=\"All\" class=\"Null\"/>"));
            }
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
    public OptionalDouble harvestStarts() {
        return withRcptGuard ? OptionalDouble.of(james.webAdmin().metric("rcptguard_harvest_starts_total")) : OptionalDouble.empty();
    }

    /** James's process id, for heap measurements (jstat). */
    public long pid() {
        return james.pid();
    }

    @Override
    public void close() {
        james.close();
    }
}
