package org.rcptguard.launcher;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real James 3.8.1 memory server in a JVM of its own, with the RcptGuard extension jar, as an operator runs it.
 *
 * <p>{@link #start} makes a James home under {@code target/james-homes/} (or in the given {@link Builder#home}): a
 * copy of the configuration directory, the extension jar in {@code extensions-jars/}, {@code var/}. It rewrites the
 * SMTP and WebAdmin ports of the copy (free ones for the tests, the configured ones for {@code bin/rcptguard}; see
 * {@link JamesConf.PortChoice}), writes the given settings into the home's {@code conf/rcptguard.properties} (with
 * {@code identity.spf=false} when they name no {@code identity.*} key, unless {@link Builder#asShipped()}), forks
 * {@code java} with the classpath of {@code james-runtime} (stdout and stderr to {@code james.log} in the home, and
 * to this JVM's stdout with {@link Builder#echoOutput}) and waits until SMTP accepts connections and WebAdmin
 * answers. The integration tests, the benchmarks and {@code Launcher} all start James this way.
 *
 * <pre>{@code
 * try (JamesServerProcess james = JamesServerProcess.start(confDir, Map.of("greylist.delay", "2s"))) {
 *     james.webAdmin().addUser("alice@example.com", "secret");
 *     ...
 * }
 * }</pre>
 *
 * <p>Paths not given to the builder come from system properties (the integration tests' surefire configuration):
 * {@code rcptguard.extension.jar}, {@code james.classpath.file}, {@code rcptguard.conf.dir},
 * {@code rcptguard.it.work.dir}.
 */
public final class JamesServerProcess implements AutoCloseable {
    public static final String MAIN_CLASS = "org.apache.james.MemoryJamesServerMain";
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int LOG_LINES_IN_ERRORS = 50;
    /**
     * What a James started by a test runs with unless its settings name an {@code identity.*} key: without a DNS
     * server of its own it asks the machine's resolver, whose answers for the tests' made-up sender domains mean
     * nothing and come slowly (it drops bursts and dnsjava resends after 5 s), so SPF would only add up to its 2 s
     * bound to first contacts. The tests of identities run their own DNS server and set {@code identity.spf=true}.
     */
    private static final Map<String, String> TEST_IDENTITY = Map.of("identity.spf", "false");
    private static final Pattern RCPTGUARD_HANDLER = Pattern.compile("(?m)^[ \\t]*<handler\\s+class=\"org\\.rcptguard\\.[^\"]*\"\\s*/>[ \\t]*\\r?\\n?");

    private final Path home;
    private final Process process;
    private final List<Integer> smtpPorts;
    private final int webAdminPort;
    private final boolean ipv6;
    private final Thread reaper;

    private JamesServerProcess(Path home, Process process, List<Integer> smtpPorts, int webAdminPort, boolean ipv6) {
        this.home = home;
        this.process = process;
        this.smtpPorts = smtpPorts;
        this.webAdminPort = webAdminPort;
        this.ipv6 = ipv6;
        this.reaper = new Thread(this::destroyQuietly, "james-reaper-" + home.getFileName());
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts James with the given configuration directory and RcptGuard settings. */
    public static JamesServerProcess start(Path confDir, Map<String, String> rcptguardPropertyOverrides) {
        return builder().confDir(confDir).rcptguardProperties(rcptguardPropertyOverrides).start();
    }

    /** Starts James expecting it to refuse to start; see {@link FailedStart}. */
    public static FailedStart startExpectingFailure(Path confDir, Map<String, String> rcptguardPropertyOverrides) {
        return builder().confDir(confDir).rcptguardProperties(rcptguardPropertyOverrides).startExpectingFailure();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configuration directory of the repository ({@code rcptguard.conf.dir}). */
    public static Path projectConfDir() {
        return requiredPath("rcptguard.conf.dir");
    }

    /** The first SMTP port (the first {@code <smtpserver>} of smtpserver.xml). */
    public int smtpPort() {
        return smtpPorts.get(0);
    }

    /** The ports of all enabled-or-not {@code <smtpserver>} blocks, in file order. */
    public List<Integer> smtpPorts() {
        return smtpPorts;
    }

    public int webAdminPort() {
        return webAdminPort;
    }

    /** True if SMTP also listens on [::1] (see {@link Builder#ipv6Loopback()}). */
    public boolean listensOnIpv6Loopback() {
        return ipv6;
    }

    public WebAdminClient webAdmin() {
        return new WebAdminClient(webAdminPort);
    }

    /** A new SMTP client connected to 127.0.0.1 from the given source address ({@code null}: the system's choice). */
    public SmtpClient smtpFrom(String localAddress) throws IOException {
        SmtpClient client = new SmtpClient();
        client.connect("127.0.0.1", smtpPort(), localAddress);
        return client;
    }

    public Path home() {
        return home;
    }

    public Path logFile() {
        return home.resolve("james.log");
    }

    /**
     * Everything James wrote to stdout/stderr so far, read once the log has stopped growing for a moment (at most
     * 2 s): the decision log is written by a thread of its own, a few milliseconds after the reply.
     */
    public String log() {
        Instant deadline = Instant.now().plusSeconds(2);
        long size = logSize();
        while (Instant.now().isBefore(deadline)) {
            sleep(50);
            long now = logSize();
            if (now == size) {
                break;
            }
            size = now;
        }
        return readLog(logFile());
    }

    private long logSize() {
        try {
            return Files.size(logFile());
        } catch (IOException e) {
            return -1;
        }
    }

    /** Waits until a log line satisfies the predicate; returns that line. */
    public String awaitLogLine(Predicate<String> predicate, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<String> line = log().lines().filter(predicate).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no matching log line within " + timeout + "; last lines:\n"
                    + tail(log(), LOG_LINES_IN_ERRORS));
            }
            sleep(100);
        }
    }

    /** Waits until the log contains the text; returns the first line containing it. */
    public String awaitLog(String text, Duration timeout) {
        return awaitLogLine(line -> line.contains(text), timeout);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until James exits; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        return process.waitFor();
    }

    /** Stops James: SIGTERM, then after 10 s SIGKILL. Returns the exit code. */
    public int stop() {
        int exit = destroyQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // JVM shutting down: the hook runs anyway
        }
        return exit;
    }

    @Override
    public void close() {
        stop();
    }

    private int destroyQuietly() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The outcome of a start that was expected to fail. */
    public static final class FailedStart {
        private final int exitCode;
        private final String log;
        private final Path home;

        FailedStart(int exitCode, String log, Path home) {
            this.exitCode = exitCode;
            this.log = log;
            this.home = home;
        }

        public int exitCode() {
            return exitCode;
        }

        public String log() {
            return log;
        }

        public Path home() {
            return home;
        }

        @Override
        public String toString() {
            return "James exited with " + exitCode + "; last log lines:\n" + tail(log, LOG_LINES_IN_ERRORS);
        }
    }

    public static final class Builder {
        private Path confDir;
        private final Map<String, String> rcptguardProperties = new LinkedHashMap<>();
        private Path extensionJar;
        private Path jamesClasspathFile;
        private Path workDir;
        private Path home;
        private JamesConf.PortChoice ports = JamesConf.PortChoice.free();
        private String echoPrefix;
        private boolean withRcptGuard = true;
        private boolean ipv6Loopback;
        private boolean localNamesOnly;
        private boolean asShipped;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private String maxHeap = "384m";
        private final List<String> jvmArguments = new ArrayList<>();

        private Builder() {
        }

        /** The James configuration directory to copy (default: {@code rcptguard.conf.dir}, the repository's conf/). */
        public Builder confDir(Path confDir) {
            this.confDir = confDir;
            return this;
        }

        /** A setting for conf/rcptguard.properties (replaces the key if the copied file has it). */
        public Builder rcptguardProperty(String key, String value) {
            rcptguardProperties.put(key, value);
            return this;
        }

        public Builder rcptguardProperties(Map<String, String> properties) {
            rcptguardProperties.putAll(properties);
            return this;
        }

        public Builder extensionJar(Path extensionJar) {
            this.extensionJar = extensionJar;
            return this;
        }

        public Builder jamesClasspathFile(Path jamesClasspathFile) {
            this.jamesClasspathFile = jamesClasspathFile;
            return this;
        }

        /**
         * This home instead of a new one under {@link #workDir}: its conf/ and extensions-jars/ are made anew, its
         * var/ is kept.
         */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** How the SMTP and WebAdmin ports are chosen (default: free ones, {@link JamesConf.PortChoice#free()}). */
        public Builder ports(JamesConf.PortChoice ports) {
            this.ports = ports;
            return this;
        }

        /** Also print James's output on this JVM's stdout, each line after {@code prefix}. */
        public Builder echoOutput(String prefix) {
            this.echoPrefix = prefix;
            return this;
        }

        /** Where James homes are made (default: {@code rcptguard.it.work.dir}, else target/james-homes). */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /**
         * Stock James with the same configuration minus RcptGuard: drops the {@code org.rcptguard.*} handlers from
         * smtpserver.xml and the RcptGuard module from extensions.properties, and installs no extension jar.
         * For checking the configuration and this harness on their own.
         */
        public Builder withoutRcptGuard() {
            this.withRcptGuard = false;
            return this;
        }

        /**
         * Also bind the first SMTP server to [::1]. James 3.8.1 splits bind entries at ':' so it cannot take an IPv6
         * literal; the home gets a hosts file mapping {@value JamesConf#IPV6_LOOPBACK_NAME} to ::1, passed to James's JVM with
         * {@code -Djdk.net.hosts.file} (that JVM then resolves host names from this file only).
         */
        public Builder ipv6Loopback() {
            this.ipv6Loopback = true;
            return this;
        }

        /**
         * Resolve names and addresses from a hosts file only, never DNS. James looks every client's name up on its
         * I/O thread at connect; where the resolver is slow (this machine's answers PTR queries for 127.x.y.z with
         * 5-second timeouts under load), a benchmark would measure the resolver, not the server.
         */
        public Builder localNamesOnly() {
            this.localNamesOnly = true;
            return this;
        }

        /**
         * The shipped identity settings, as an operator runs James ({@code bin/rcptguard}): without this, settings
         * that name no {@code identity.*} key get {@code identity.spf=false}, a test's James asking the machine's
         * resolver about made-up sender domains.
         */
        public Builder asShipped() {
            this.asShipped = true;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        /** An extra JVM argument for James, e.g. {@code -Dsome.property=value}. */
        public Builder jvmArgument(String argument) {
            jvmArguments.add(argument);
            return this;
        }

        /** Starts James and waits until SMTP and WebAdmin answer; fails with the end of the log otherwise. */
        public JamesServerProcess start() {
            Prepared prepared = prepare();
            Process process = prepared.launch();
            JamesServerProcess james = new JamesServerProcess(prepared.home, process, prepared.smtpPorts,
                prepared.webAdminPort, ipv6Loopback);
            Instant deadline = Instant.now().plus(startTimeout);
            while (true) {
                if (!process.isAlive()) {
                    james.stop();
                    throw new IllegalStateException("James exited during start-up with code " + process.exitValue()
                        + " (home " + prepared.home + "); last log lines:\n" + tail(james.log(), LOG_LINES_IN_ERRORS));
                }
                if (prepared.isReady()) {
                    return james;
                }
                if (Instant.now().isAfter(deadline)) {
                    String log = james.log();
                    james.stop();
                    throw new IllegalStateException("James did not answer on SMTP port " + prepared.smtpPorts.get(0)
                        + " and WebAdmin port " + prepared.webAdminPort + " within " + startTimeout.toSeconds()
                        + " s (home " + prepared.home + "); last log lines:\n" + tail(log, LOG_LINES_IN_ERRORS));
                }
                sleep(200);
            }
        }

        /**
         * Starts James expecting it to stop by itself (e.g. a bad rcptguard.properties value): waits for the exit
         * and returns its code and log. Fails if James comes up instead, or is still running at the timeout.
         */
        public FailedStart startExpectingFailure() {
            Prepared prepared = prepare();
            Process process = prepared.launch();
            JamesServerProcess james = new JamesServerProcess(prepared.home, process, prepared.smtpPorts,
                prepared.webAdminPort, ipv6Loopback);
            try {
                Instant deadline = Instant.now().plus(startTimeout);
                while (process.isAlive()) {
                    if (james.log().contains("JAMES server started")) {
                        throw new AssertionError("James started although a start-up failure was expected (home "
                            + prepared.home + "); last log lines:\n" + tail(james.log(), LOG_LINES_IN_ERRORS));
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new AssertionError("James neither started nor exited within " + startTimeout.toSeconds()
                            + " s (home " + prepared.home + "); last log lines:\n" + tail(james.log(), LOG_LINES_IN_ERRORS));
                    }
                    sleep(200);
                }
                return new FailedStart(process.exitValue(), james.log(), prepared.home);
            } finally {
                james.stop();
            }
        }

        private Prepared prepare() {
            Path conf = confDir != null ? confDir : projectConfDir();
            Path classpathFile = jamesClasspathFile != null ? jamesClasspathFile : requiredPath("james.classpath.file");
            Path jar = extensionJar != null ? extensionJar : requiredPath("rcptguard.extension.jar");
            requireFile(conf.resolve("smtpserver.xml"), "the James configuration directory " + conf);
            requireFile(classpathFile, "the James classpath file (built by integration-tests/james-runtime: "
                + "mvn -DskipTests install from the repository root)");
            if (withRcptGuard) {
                requireFile(jar, "the RcptGuard extension jar (built by extensions/rcptguard-james: "
                    + "mvn -DskipTests install from the repository root)");
                requireJarNotStale(jar);
            }
            try {
                Path home = this.home != null ? reset(this.home) : newHome();
                copyTree(conf, home.resolve("conf"));
                Files.createDirectories(home.resolve("extensions-jars"));
                Files.createDirectories(home.resolve("var"));
                if (withRcptGuard) {
                    Files.copy(jar, home.resolve("extensions-jars").resolve(jar.getFileName()));
                } else {
                    removeRcptGuard(home.resolve("conf"));
                }

                List<Integer> smtpPorts = JamesConf.rewriteSmtpPorts(home.resolve("conf/smtpserver.xml"), ports, ipv6Loopback);
                int webAdminPort = JamesConf.rewriteWebAdminPort(home.resolve("conf"), ports);
                Map<String, String> settings = rcptguardSettings();
                if (!settings.isEmpty()) {
                    setProperties(home.resolve("conf/rcptguard.properties"), settings);
                }

                List<String> command = new ArrayList<>();
                command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
                command.add("-Xmx" + maxHeap);
                command.add("-Dworking.directory=" + home);
                command.add("-Dlogback.configurationFile=" + home.resolve("conf/logback.xml"));
                command.add("-Dextra.props=" + home.resolve("conf/jvm.properties"));
                command.add("-Djdk.tls.ephemeralDHKeySize=2048");
                if (ipv6Loopback || localNamesOnly) {
                    Path hosts = home.resolve("var/hosts");
                    Files.writeString(hosts, "127.0.0.1 localhost " + localHostName() + "\n"
                        + (ipv6Loopback ? "::1 " + JamesConf.IPV6_LOOPBACK_NAME + "\n" : ""));
                    command.add("-Djdk.net.hosts.file=" + hosts);
                }
                command.addAll(jvmArguments);
                command.add("-cp");
                command.add(Files.readString(classpathFile).trim());
                command.add(MAIN_CLASS);
                return new Prepared(home, command, smtpPorts, webAdminPort, echoPrefix);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare a James home: " + e.getMessage(), e);
            }
        }

        private Map<String, String> rcptguardSettings() {
            return asShipped || !withRcptGuard ? rcptguardProperties : withTestIdentity(rcptguardProperties);
        }

        private Path newHome() throws IOException {
            Path base = workDir != null ? workDir
                : Paths.get(System.getProperty("rcptguard.it.work.dir", "target/james-homes"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base.toAbsolutePath(), "james-");
        }

        /** The configuration and the extension jar are copied afresh; var/ stays. */
        private static Path reset(Path home) throws IOException {
            CassandraNode.deleteRecursively(home.resolve("conf"));
            CassandraNode.deleteRecursively(home.resolve("extensions-jars"));
            Files.createDirectories(home);
            return home.toAbsolutePath();
        }
    }

    private static final class Prepared {
        final Path home;
        final List<String> command;
        final List<Integer> smtpPorts;
        final int webAdminPort;
        final String echoPrefix;

        Prepared(Path home, List<String> command, List<Integer> smtpPorts, int webAdminPort, String echoPrefix) {
            this.home = home;
            this.command = command;
            this.smtpPorts = smtpPorts;
            this.webAdminPort = webAdminPort;
            this.echoPrefix = echoPrefix;
        }

        Process launch() {
            try {
                Files.writeString(home.resolve("command.txt"), String.join("\n", command) + "\n");
                Path log = home.resolve("james.log");
                ProcessBuilder builder = new ProcessBuilder(ChildProcesses.ignoringInterrupt(command))
                    .directory(home.toFile())
                    .redirectErrorStream(true);
                if (echoPrefix == null) {
                    return builder.redirectOutput(log.toFile()).start();
                }
                Process process = builder.start();
                ChildProcesses.copyLines(process.getInputStream(), log, echoPrefix);
                return process;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start java for James: " + e.getMessage(), e);
            }
        }

        boolean isReady() {
            return acceptsConnections(smtpPorts.get(0)) && new WebAdminClient(webAdminPort).isUp();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A test's settings: {@link #TEST_IDENTITY} first unless they name an {@code identity.*} key themselves. */
    static Map<String, String> withTestIdentity(Map<String, String> settings) {
        if (settings.keySet().stream().anyMatch(key -> key.startsWith("identity."))) {
            return settings;
        }
        Map<String, String> withIdentity = new LinkedHashMap<>(TEST_IDENTITY);
        withIdentity.putAll(settings);
        return withIdentity;
    }

    private static void removeRcptGuard(Path conf) throws IOException {
        Path smtp = conf.resolve("smtpserver.xml");
        Files.writeString(smtp, RCPTGUARD_HANDLER.matcher(Files.readString(smtp)).replaceAll(""));
        Path extensions = conf.resolve("extensions.properties");
        if (Files.exists(extensions)) {
            String filtered = Files.readString(extensions).lines()
                .filter(line -> !(line.trim().startsWith("guice.extension.module") && line.contains("org.rcptguard.")))
                .collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(extensions, filtered);
        }
        removeRcptGuardClasses(conf.resolve("webadmin.properties"), "extensions.routes");
        removeRcptGuardClasses(conf.resolve("healthcheck.properties"), "additional.healthchecks");
    }

    /** Drops the org.rcptguard.* class names from a comma-separated key (the key goes when none is left). */
    private static void removeRcptGuardClasses(Path file, String key) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String filtered = Files.readString(file).lines()
            .map(line -> {
                if (!keyOf(line).equals(key)) {
                    return line;
                }
                int separator = line.indexOf('=');
                String kept = Arrays.stream(line.substring(separator + 1).split(","))
                    .map(String::trim)
                    .filter(name -> !name.isEmpty() && !name.startsWith("org.rcptguard."))
                    .collect(Collectors.joining(","));
                return kept.isEmpty() ? "" : line.substring(0, separator + 1) + kept;
            })
            .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(file, filtered);
    }

    /**
     * Sets keys in a properties file: earlier definitions of the same keys are removed, then the settings are
     * appended. (Not just appended: James reads properties with commons-configuration, where a repeated key
     * becomes a list, not "the last one wins".)
     */
    public static void setProperties(Path file, Map<String, String> settings) throws IOException {
        List<String> kept = new ArrayList<>();
        if (Files.exists(file)) {
            boolean continuation = false;
            boolean dropping = false;
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                if (!continuation) {
                    dropping = settings.containsKey(keyOf(line));
                }
                if (!dropping) {
                    kept.add(line);
                }
                continuation = endsWithContinuation(line);
            }
        }
        Properties properties = new Properties();
        settings.forEach(properties::setProperty);
        StringWriter written = new StringWriter();
        properties.store(written, null);
        kept.add("# set by JamesServerProcess");
        written.toString().lines()
            .filter(line -> !line.startsWith("#"))
            .sorted()
            .forEach(kept::add);
        Files.write(file, kept, StandardCharsets.ISO_8859_1);
    }

    private static String keyOf(String line) {
        String trimmed = line.stripLeading();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '\\' && i + 1 < trimmed.length()) {
                key.append(trimmed.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** A free port on 127.0.0.1 (and on [::1] too when {@code alsoIpv6}). */
    public static int freePort(boolean alsoIpv6) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                port = socket.getLocalPort();
            }
            if (!alsoIpv6) {
                return port;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName("::1"), port));
                return port;
            } catch (IOException busyOnIpv6) {
                // try another
            }
        }
        throw new IOException("no free port found");
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static Path requiredPath(String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + systemProperty + " is not set: run the tests through "
                + "Maven (integration-tests/smtp-tests sets it in its surefire configuration) or set it yourself");
        }
        return Paths.get(value).toAbsolutePath().normalize();
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " not found: " + what);
        }
    }

    /** The shaded jar is made in the package phase: with 'mvn test' it may be older than the compiled classes. */
    private static void requireJarNotStale(Path jar) {
        Path classes = jar.getParent().resolve("classes");
        if (!Files.isDirectory(classes)) {
            return;
        }
        try (Stream<Path> files = Files.walk(classes)) {
            FileTime jarTime = Files.getLastModifiedTime(jar);
            Optional<Path> newer = files.filter(Files::isRegularFile)
                .filter(file -> lastModified(file).compareTo(jarTime) > 0)
                .findFirst();
            if (newer.isPresent()) {
                throw new IllegalStateException(jar + " is older than " + newer.get() + ": rebuild the jar first "
                    + "(run 'mvn verify' or 'mvn install' rather than 'mvn test', or 'mvn -DskipTests install' once)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the tree {@code source} into {@code target}, replacing files already there (an overlay). */
    public static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                    StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String readLog(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().collect(Collectors.toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
