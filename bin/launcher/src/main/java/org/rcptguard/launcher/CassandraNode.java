package org.rcptguard.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One real Cassandra 5.0 node in a forked JVM, started from the jars Maven resolved for
 * {@code integration-tests/cassandra-runtime} (no Docker): the node of {@code bin/rcptguard cluster}, of the
 * Cassandra tests ({@code CassandraExtension}, {@code CassandraCluster}) and of the benchmarks.
 *
 * <p>The node runs {@code java -cp <cassandra classpath> org.apache.cassandra.service.CassandraDaemon} with a
 * generated minimal {@code cassandra.yaml}, a fixed small heap, the JPMS flags of Cassandra's
 * {@code conf/jvm17-server.options}, free ports chosen at start and everything under its own work directory
 * ({@code cassandra.yaml}, {@code logback.xml}, {@code logs/cassandra.log}, data, commitlog, hints, ...).
 * It is ready once its log says it listens for CQL clients and its native port accepts connections.
 *
 * <p>The forked JVM never outlives the test JVM: {@link #close()}, a JVM shutdown hook (normal exit, Ctrl-C)
 * and a tiny watchdog shell process (test JVM killed with SIGKILL) all take it down.
 *
 * <p>Not thread safe: drive one node from one thread at a time.
 */
public final class CassandraNode implements AutoCloseable {

    /** System property naming the file written by {@code cassandra-runtime}'s {@code dependency:build-classpath}. */
    public static final String CLASSPATH_FILE_PROPERTY = "cassandra.classpath.file";
    /** System property naming the directory under which nodes get their work directories. */
    public static final String WORK_DIR_PROPERTY = "cassandra.work.dir";
    /** System property: another JDK (11 or 17) to run Cassandra 5.0 with; defaults to the test JVM's java.home. */
    public static final String JAVA_HOME_PROPERTY = "cassandra.java.home";
    /** The classpath file, relative to the project root, when {@value #CLASSPATH_FILE_PROPERTY} is not set. */
    public static final String DEFAULT_CLASSPATH_FILE = "integration-tests/cassandra-runtime/target/cassandra.classpath";

    /** Logged by Cassandra 5.0 (PipelineConfigurator) right before it binds the native transport port. */
    public static final String READY_MESSAGE = "Starting listening for CQL clients";
    /** The data center {@code SimpleSnitch} puts every node in: what the driver's local datacenter must be. */
    public static final String LOCAL_DATACENTER = "datacenter1";
    public static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

    /** Cassandra 5.0's {@code conf/jvm17-server.options}, JPMS section (needed on Java 11 and 17 alike). */
    public static final List<String> JPMS_FLAGS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
        "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
        "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
        "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.io=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "-Djdk.attach.allowAttachSelf=true",
        "-Dio.netty.tryReflectionSetAccessible=true");

    /**
     * System properties that make a throw-away test node start fast. JMX stays off because neither
     * {@code cassandra.jmx.local.port} nor {@code cassandra.jmx.remote.port} is set.
     */
    public static final List<String> FAST_TEST_FLAGS = List.of(
        "-Dcassandra-foreground=yes",
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.ring_delay_ms=1000",
        "-Dcassandra.superuser_setup_delay_ms=0",
        // a graceful stop announces the shutdown to peers, then sleeps 2 s by default
        "-Dcassandra.shutdown_announce_in_ms=200",
        // no fsync of commit log and sstables: a killed process keeps the page cache. (Not
        // cassandra.unsafesystem: it makes schema changes non-durable, a killed node would forget its tables.)
        "-Dcassandra.skip_sync=true",
        "-Djava.net.preferIPv4Stack=true",
        "-XX:+ExitOnOutOfMemoryError",
        "-Xss256k");

    private static final int LOG_TAIL_LINES = 50;
    private static final AtomicBoolean STALE_RUNS_DELETED = new AtomicBoolean();
    private static final List<String> DATA_DIRECTORIES = List.of("data", "commitlog", "hints", "saved_caches", "cdc_raw");

    private final Builder config;
    private final Path workDir;
    private final Path logFile;
    private final int storagePort;
    private final int nativePort;
    private final List<String> seeds;
    private final Thread shutdownHook = new Thread(this::destroyNow, "cassandra-node-shutdown");


    private volatile Process process;
    private volatile Process watchdog;
    private boolean paused;
    private boolean hookRegistered;
    private Duration lastStartDuration = Duration.ZERO;

    private CassandraNode(Builder config) {
        this.config = config;
        this.workDir = config.workDir != null ? config.workDir : defaultWorkDir(config.name);
        this.logFile = workDir.resolve("logs").resolve("cassandra.log");
        this.storagePort = config.storagePort > 0 ? config.storagePort : freePort(config.listenAddress);
        this.nativePort = config.nativePort > 0 ? config.nativePort : freePort(config.listenAddress);
        this.seeds = config.seeds.isEmpty()
            ? List.of(config.listenAddress + ":" + storagePort)
            : List.copyOf(config.seeds);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the node (wiping any data a previous run left in its work directory) and waits until it serves CQL.
     * Throws {@link IllegalStateException} with the last lines of its log if it dies or is not ready in time.
     */
    public synchronized CassandraNode start() {
        if (isRunning()) {
            throw new IllegalStateException("Cassandra node " + config.name + " is already running, pid " + pid());
        }
        for (String dir : DATA_DIRECTORIES) {
            deleteRecursively(workDir.resolve(dir));
        }
        writeConfiguration();
        launch();
        return this;
    }

    /** Starts the node again on the same ports and data directories, stopping it first if it runs. */
    public synchronized CassandraNode restart() {
        if (isRunning()) {
            stop();
        }
        writeConfiguration();
        launch();
        return this;
    }

    /** Graceful stop: SIGTERM (Cassandra drains), then SIGKILL if it is still alive after the grace period. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            if (paused) {
                resume();
            }
            process.destroy();
            if (!waitFor(process, config.stopTimeout)) {
                process.destroyForcibly();
                waitFor(process, Duration.ofSeconds(10));
            }
        }
        afterExit();
    }

    /** SIGKILL: the node is lost without draining, as in a crash. {@link #restart()} brings it back. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(10));
        afterExit();
    }

    /** SIGSTOP: the process keeps its sockets open but answers nothing, like a node stuck in a long GC pause. */
    public synchronized void pause() {
        requireRunning();
        signal("-STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        requireRunning();
        signal("-CONT");
        paused = false;
    }

    /** Stops the node (gracefully) and forgets its shutdown hook; the work directory stays. */
    @Override
    public synchronized void close() {
        stop();
        if (hookRegistered) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: nothing to remove
            }
            hookRegistered = false;
        }
    }

    /** Deletes data, commit log, hints, caches and cdc directories; keeps the yaml and the log. */
    public synchronized void deleteDataDirectories() {
        if (isRunning()) {
            throw new IllegalStateException("Stop Cassandra node " + config.name + " before deleting its data");
        }
        for (String dir : DATA_DIRECTORIES) {
            deleteRecursively(workDir.resolve(dir));
        }
    }

    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(config.listenAddress, nativePort);
    }

    public synchronized long pid() {
        requireStarted();
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    public String name() {
        return config.name;
    }

    public String clusterName() {
        return config.clusterName;
    }

    public String localDatacenter() {
        return LOCAL_DATACENTER;
    }

    public String listenAddress() {
        return config.listenAddress;
    }

    public int nativePort() {
        return nativePort;
    }

    public int storagePort() {
        return storagePort;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** How long the last {@link #start()} or {@link #restart()} took until the node served CQL. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** Resident set size of the forked JVM in KiB (Linux {@code /proc}), or -1 if unknown. */
    public synchronized long residentSetKib() {
        if (!isRunning()) {
            return -1;
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                .map(line -> line.replaceAll("[^0-9]", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElse(-1);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** The last lines of the node's log (its stdout and stderr), for failure messages. */
    public String logTail(int lines) {
        if (!Files.exists(logFile)) {
            return "(no log at " + logFile + ")";
        }
        try {
            List<String> all = Arrays.asList(new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).split("\\R"));
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "CassandraNode{" + config.name + " " + config.listenAddress + " native " + nativePort
            + " storage " + storagePort + (process != null ? " pid " + process.pid() : "") + "}";
    }

    // ---------------------------------------------------------------------------------------------------------

    private void launch() {
        if (!hookRegistered) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookRegistered = true;
        }
        List<String> command = command();
        long logOffset = logSize();
        long startNanos = System.nanoTime();
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(ChildProcesses.ignoringInterrupt(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // keep the forked JVM hermetic: no agents or debug ports inherited from the environment
            builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
            Files.writeString(workDir.resolve("command.txt"), String.join(" \\\n  ", command) + "\n");
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Cassandra node " + config.name + ": " + command, e);
        }
        paused = false;
        startWatchdog();
        awaitReady(logOffset);
        lastStartDuration = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        if (config.dropMemoryLockCapability && isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            // Cassandra always calls mlockall(MCL_CURRENT). As root that succeeds and pins the whole heap plus
            // every mapped file (the JDK's 130 MB 'modules' image): ~610 MB RSS instead of ~380 MB. Without
            // CAP_IPC_LOCK it fails with a warning, as for any non-root user with the default memlock limit.
            command.addAll(List.of("/usr/bin/setpriv", "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock"));
        }
        command.add(javaExecutable().toString());
        command.add("-Xms" + config.heap);
        command.add("-Xmx" + config.heap);
        command.addAll(JPMS_FLAGS);
        command.addAll(FAST_TEST_FLAGS);
        command.add("-Dcassandra.config=" + workDir.resolve("cassandra.yaml").toUri());
        command.add("-Dcassandra.storagedir=" + workDir);
        command.add("-Dcassandra.logdir=" + logFile.getParent());
        command.add("-Dlogback.configurationFile=" + workDir.resolve("logback.xml"));
        // marks the process as ours in ps, with the test JVM that owns it
        command.add("-Drcptguard.cassandra.node=" + config.name);
        command.add("-Drcptguard.cassandra.owner=" + ProcessHandle.current().pid());
        command.addAll(config.extraJvmArgs);
        command.add("-cp");
        command.add(cassandraClasspath());
        command.add(MAIN_CLASS);
        return command;
    }

    private void awaitReady(long logOffset) {
        long deadline = System.nanoTime() + config.startTimeout.toNanos();
        boolean logged = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                afterExit();
                throw new IllegalStateException("Cassandra node " + config.name + " died during startup (exit code "
                    + exit + "); last lines of " + logFile + ":" + System.lineSeparator() + logTail(LOG_TAIL_LINES));
            }
            if (!logged) {
                logged = logContains(READY_MESSAGE, logOffset);
            }
            if (logged && acceptsConnections()) {
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        String tail = logTail(LOG_TAIL_LINES);
        destroyNow();
        afterExit();
        throw new IllegalStateException("Cassandra node " + config.name + " did not serve CQL on " + contactPoint()
            + " within " + config.startTimeout + "; last lines of " + logFile + ":" + System.lineSeparator() + tail);
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(contactPoint(), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean logContains(String message, long fromOffset) {
        try {
            byte[] bytes = Files.readAllBytes(logFile);
            int from = (int) Math.min(fromOffset, bytes.length);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).contains(message);
        } catch (IOException e) {
            return false;
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A shell that SIGKILLs the node if the test JVM disappears without running shutdown hooks (SIGKILL, crash),
     * and exits by itself once the node is gone. POSIX sh, kill and sleep only.
     */
    private void startWatchdog() {
        Path sh = Path.of("/bin/sh");
        if (!Files.isExecutable(sh)) {
            return;
        }
        String script = "while kill -0 \"$0\" 2>/dev/null && kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
            + "kill -0 \"$0\" 2>/dev/null || kill -KILL \"$1\" 2>/dev/null";
        try {
            watchdog = new ProcessBuilder(sh.toString(), "-c", script,
                Long.toString(ProcessHandle.current().pid()), Long.toString(process.pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            watchdog.getOutputStream().close();
        } catch (IOException e) {
            watchdog = null; // the shutdown hook still covers normal exits and Ctrl-C
        }
    }

    private void afterExit() {
        paused = false;
        if (watchdog != null) {
            watchdog.destroyForcibly();
            waitFor(watchdog, Duration.ofSeconds(5));
            watchdog = null;
        }
    }

    /** Shutdown hook and timeout path: no drain, the data is thrown away anyway. */
    private void destroyNow() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            waitFor(current, Duration.ofSeconds(10));
        }
        Process dog = watchdog;
        if (dog != null) {
            dog.destroyForcibly();
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("/bin/kill", signal, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("/bin/kill " + signal + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("Cassandra node " + config.name + " was never started");
        }
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("Cassandra node " + config.name + " is not running");
        }
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("cassandra.yaml"), yaml());
            Files.writeString(workDir.resolve("logback.xml"), LOGBACK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generated cassandra.yaml: defaults for a small throw-away node, then {@link Builder#yaml} overrides. */
    String yaml() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cluster_name", quote(config.clusterName));
        settings.put("num_tokens", "1");
        settings.put("initial_token", quote(config.initialToken));
        settings.put("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner");
        settings.put("endpoint_snitch", "SimpleSnitch");
        settings.put("seed_provider", "\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n"
            + "    parameters:\n      - seeds: " + quote(String.join(",", seeds)));
        settings.put("listen_address", config.listenAddress);
        settings.put("rpc_address", config.listenAddress);
        settings.put("storage_port", Integer.toString(storagePort));
        settings.put("native_transport_port", Integer.toString(nativePort));
        settings.put("start_native_transport", "true");
        // the first node of a fresh cluster has nothing to stream; later ones join with their initial_token
        settings.put("auto_bootstrap", "false");
        settings.put("data_file_directories", "\n  - " + quote(workDir.resolve("data").toString()));
        settings.put("commitlog_directory", quote(workDir.resolve("commitlog").toString()));
        settings.put("hints_directory", quote(workDir.resolve("hints").toString()));
        settings.put("saved_caches_directory", quote(workDir.resolve("saved_caches").toString()));
        settings.put("cdc_raw_directory", quote(workDir.resolve("cdc_raw").toString()));
        settings.put("commitlog_sync", "periodic");
        settings.put("commitlog_sync_period", "10000ms");
        settings.put("commitlog_segment_size", "8MiB");
        settings.put("authenticator", "AllowAllAuthenticator");
        settings.put("authorizer", "AllowAllAuthorizer");
        settings.put("auto_snapshot", "false");
        settings.put("snapshot_before_compaction", "false");
        settings.put("memtable_heap_space", "32MiB");
        settings.put("memtable_offheap_space", "32MiB");
        settings.put("file_cache_size", "16MiB");
        settings.put("networking_cache_size", "8MiB");
        settings.put("key_cache_size", "8MiB");
        settings.put("counter_cache_size", "0MiB");
        settings.put("prepared_statements_cache_size", "4MiB");
        settings.put("concurrent_reads", "4");
        settings.put("concurrent_writes", "4");
        settings.put("concurrent_counter_writes", "4");
        settings.put("concurrent_compactors", "1");
        settings.putAll(config.yaml);
        return settings.entrySet().stream()
            .map(entry -> entry.getKey() + ":" + (entry.getValue().startsWith("\n") ? "" : " ") + entry.getValue())
            .collect(Collectors.joining("\n", "# generated by " + CassandraNode.class.getName() + "\n", "\n"));
    }

    private static final String LOGBACK = String.join("\n",
        "<configuration>",
        "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
        "    <encoder><pattern>%-5level [%thread] %date{ISO8601} %logger{0} - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <root level=\"INFO\"><appender-ref ref=\"STDOUT\"/></root>",
        "</configuration>",
        "");

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private String cassandraClasspath() {
        Path file = classpathFile();
        try {
            String classpath = Files.readString(file).trim();
            if (classpath.isEmpty() || !classpath.contains("cassandra-all")) {
                throw new IllegalStateException(file + " does not list cassandra-all");
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Cassandra classpath " + file, e);
        }
    }

    private Path classpathFile() {
        if (config.classpathFile != null) {
            return requireClasspathFile(config.classpathFile);
        }
        String property = System.getProperty(CLASSPATH_FILE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return requireClasspathFile(Path.of(property));
        }
        // run from an IDE: look for the project root above the working directory
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_CLASSPATH_FILE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return requireClasspathFile(Path.of(DEFAULT_CLASSPATH_FILE));
    }

    private static Path requireClasspathFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("No Cassandra classpath file at " + file.toAbsolutePath()
                + ": build it with 'mvn -pl integration-tests/cassandra-runtime generate-resources'"
                + " (or set -D" + CLASSPATH_FILE_PROPERTY + ")");
        }
        return file;
    }

    private static Path javaExecutable() {
        String javaHome = System.getProperty(JAVA_HOME_PROPERTY);
        if (javaHome == null || javaHome.isBlank()) {
            javaHome = System.getProperty("java.home");
        }
        return Path.of(javaHome, "bin", "java");
    }

    private static boolean isRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(line -> line.startsWith("Uid:"))
                .map(line -> line.split("\\s+"))
                .anyMatch(fields -> fields.length > 2 && "0".equals(fields[2]));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    static Path defaultWorkDir(String nodeName) {
        if (STALE_RUNS_DELETED.compareAndSet(false, true)) {
            deleteStaleRuns();
        }
        String base = System.getProperty(WORK_DIR_PROPERTY);
        try {
            Path root = base == null || base.isBlank()
                ? Files.createTempDirectory("rcptguard-cassandra-")
                : Path.of(base).resolve("run-" + ProcessHandle.current().pid());
            return root.resolve(nodeName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes {@code run-<pid>} directories under {@value #WORK_DIR_PROPERTY} left by test JVMs that are gone,
     * keeping the current one.
     */
    static void deleteStaleRuns() {
        String base = System.getProperty(WORK_DIR_PROPERTY);
        if (base == null || base.isBlank() || !Files.isDirectory(Path.of(base))) {
            return;
        }
        try (Stream<Path> runs = Files.list(Path.of(base))) {
            runs.filter(dir -> dir.getFileName().toString().matches("run-\\d+"))
                .filter(dir -> {
                    long pid = Long.parseLong(dir.getFileName().toString().substring(4));
                    return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
                })
                .forEach(CassandraNode::deleteRecursively);
        } catch (IOException e) {
            // housekeeping only
        }
    }

    static int freePort(String address) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + address, e);
        }
    }

    /** A port free on every given address at once: what nodes sharing one storage port need. */
    public static int freePortOnAll(List<String> addresses) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort(addresses.get(0));
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (String address : addresses) {
                    held.add(new ServerSocket(port, 1, InetAddress.getByName(address)));
                }
                return port;
            } catch (IOException taken) {
                // try another
            } finally {
                held.forEach(socket -> {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                });
            }
        }
        throw new IllegalStateException("No port free on all of " + addresses);
    }

    /** Deletes a file or a directory tree; nothing to do if it does not exist. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Cassandra", e);
        }
    }

    /** Settings of a node; everything has a default suitable for one node on 127.0.0.1. */
    public static final class Builder {
        private String name = "node1";
        private String clusterName = "rcptguard-test";
        private String listenAddress = "127.0.0.1";
        private List<String> seeds = List.of();
        private String initialToken = "0";
        private int storagePort;
        private int nativePort;
        private String heap = "256m";
        private Path workDir;
        private Path classpathFile;
        private Duration startTimeout = Duration.ofSeconds(120);
        private Duration stopTimeout = Duration.ofSeconds(20);
        private boolean dropMemoryLockCapability = true;
        private final List<String> extraJvmArgs = new ArrayList<>();
        private final Map<String, String> yaml = new LinkedHashMap<>();

        private Builder() {
        }

        /** Names the node's work directory ({@code <cassandra.work.dir>/run-<pid>/<name>}) and its log. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = Objects.requireNonNull(clusterName);
            return this;
        }

        /** listen_address and rpc_address (127.0.0.1 by default; 127.0.0.2 ... for more nodes). */
        public Builder listenAddress(String listenAddress) {
            this.listenAddress = Objects.requireNonNull(listenAddress);
            return this;
        }

        /** Seeds as {@code host:storagePort}; by default the node itself. */
        public Builder seeds(List<String> seeds) {
            this.seeds = List.copyOf(seeds);
            return this;
        }

        public Builder initialToken(String initialToken) {
            this.initialToken = Objects.requireNonNull(initialToken);
            return this;
        }

        /** Fixed storage (internode) port; 0, the default, picks a free one at build time. */
        public Builder storagePort(int storagePort) {
            this.storagePort = storagePort;
            return this;
        }

        /** Fixed native transport (CQL) port; 0, the default, picks a free one at build time. */
        public Builder nativePort(int nativePort) {
            this.nativePort = nativePort;
            return this;
        }

        /** -Xms and -Xmx, e.g. {@code 256m}. */
        public Builder heap(String heap) {
            this.heap = Objects.requireNonNull(heap);
            return this;
        }

        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** Overrides {@value #CLASSPATH_FILE_PROPERTY}. */
        public Builder classpathFile(Path classpathFile) {
            this.classpathFile = classpathFile;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout);
            return this;
        }

        /** When running as root, let Cassandra's mlockall pin all its memory (about 230 MB more RSS). */
        public Builder allowMemoryLock() {
            this.dropMemoryLockCapability = false;
            return this;
        }

        public Builder jvmArg(String... args) {
            this.extraJvmArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Sets or replaces one top-level cassandra.yaml setting; the value is raw YAML, e.g.
         * {@code yaml("authenticator", "PasswordAuthenticator")}.
         */
        public Builder yaml(String key, String rawValue) {
            this.yaml.put(Objects.requireNonNull(key), Objects.requireNonNull(rawValue));
            return this;
        }

        /** Creates the node (choosing its ports) without starting it; later changes to this builder do not affect it. */
        public CassandraNode build() {
            return new CassandraNode(copy());
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.name = name;
            copy.clusterName = clusterName;
            copy.listenAddress = listenAddress;
            copy.seeds = seeds;
            copy.initialToken = initialToken;
            copy.storagePort = storagePort;
            copy.nativePort = nativePort;
            copy.heap = heap;
            copy.workDir = workDir;
            copy.classpathFile = classpathFile;
            copy.startTimeout = startTimeout;
            copy.stopTimeout = stopTimeout;
            copy.dropMemoryLockCapability = dropMemoryLockCapability;
            copy.extraJvmArgs.addAll(extraJvmArgs);
            copy.yaml.putAll(yaml);
            return copy;
        }
    }
}
