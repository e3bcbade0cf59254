package org.rcptguard.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A private instance of Debian's Postfix: its own configuration, queue, data and log directories under a temporary
 * directory of its own, nothing shared with {@code /etc/postfix}, run and changed through {@code postfix -c},
 * {@code postconf -c}, {@code postmap} and {@code postqueue -c}. What the roles ({@link PostfixBackend}, a receiving
 * backend; {@link PostfixSender}, a sending MTA) have in common: each adds its own services and settings. Needs root
 * and {@code /usr/sbin/postfix} ({@code .ci/run} installs it).
 */
final class PostfixInstance implements AutoCloseable {
    static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    /** The services of {@code master.cf} every role needs: the queue, rewriting, bounces, the SMTP client, logging. */
    private static final List<String> SERVICES = List.of(
        "pickup unix n - n 60 1 pickup",
        "cleanup unix n - n - 0 cleanup",
        "qmgr unix n - n 300 1 qmgr",
        "rewrite unix - - n - - trivial-rewrite",
        "bounce unix - - n - 0 bounce",
        "defer unix - - n - 0 bounce",
        "trace unix - - n - 0 bounce",
        "verify unix - - n - 1 verify",
        "tlsmgr unix - - n 1000? 1 tlsmgr",
        "flush unix n - n 1000? 0 flush",
        "proxymap unix - - n - - proxymap",
        "smtp unix - - n - - smtp",
        "showq unix n - n - - showq",
        "error unix - - n - - error",
        "retry unix - - n - - error",
        "discard unix - - n - - discard",
        "anvil unix - - n - 1 anvil",
        "scache unix - - n - 1 scache",
        "postlog unix-dgram n - n - 1 postlogd");

    private final Path dir;

    private PostfixInstance(Path dir) {
        this.dir = dir;
    }

    static boolean installed() {
        return Files.isExecutable(POSTFIX) && "root".equals(System.getProperty("user.name"));
    }

    /**
     * A configured instance, not started: {@code master.cf} holds the common services and {@code services},
     * {@code main.cf} the settings every instance shares; the role adds its own ({@link #postconf}). Its directory is
     * removed if the configuration fails.
     */
    static PostfixInstance create(String role, List<String> services) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rcptguard-postfix-" + role);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostfixInstance instance = new PostfixInstance(dir);
        try {
            instance.configure(role, services);
            return instance;
        } catch (Exception | Error e) {
            instance.closeAfter(e);
            throw e;
        }
    }

    private void configure(String role, List<String> services) throws Exception {
        for (String sub : List.of("etc", "queue", "data", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        run("chown", "postfix:postfix", dir.resolve("data").toString());
        run("chmod", "755", etc().toString(), dir.resolve("queue").toString(), dir.resolve("log").toString());
        List<String> master = new ArrayList<>(services);
        master.addAll(SERVICES);
        master.add("");
        Files.writeString(etc().resolve("master.cf"), String.join("\n", master), StandardCharsets.UTF_8);
        Files.writeString(etc().resolve("main.cf"), "", StandardCharsets.UTF_8);
        postconf(List.of(
            "compatibility_level = 3.6",
            "queue_directory = " + dir.resolve("queue"),
            "data_directory = " + dir.resolve("data"),
            "maillog_file_prefixes = " + dir.resolve("log"),
            "maillog_file = " + dir.resolve("log/maillog"),
            "syslog_name = postfix-" + role,
            "multi_instance_enable = no",
            "inet_protocols = ipv4",
            "myhostname = " + role + ".test",
            "mydestination =",
            "smtp_dns_support_level = disabled",
            "local_transport = error:no local delivery",
            "alias_maps =",
            "alias_database =",
            "local_recipient_maps ="));
    }

    Path dir() {
        return dir;
    }

    Path etc() {
        return dir.resolve("etc");
    }

    /** {@code main.cf} settings ({@code name = value}); a running instance needs {@link #reload} to apply them. */
    void postconf(List<String> settings) throws Exception {
        for (String setting : settings) {
            run("postconf", "-c", etc().toString(), "-e", setting);
        }
    }

    /** Writes the lookup table {@code etc/NAME} and its {@code hash:} database. */
    void postmap(String name, String content) throws Exception {
        Path file = etc().resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        run("postmap", "hash:" + file);
    }

    void reload() throws Exception {
        run("postfix", "-c", etc().toString(), "reload");
        // Running processes pick the new settings up when they next start; a reload has every idle one exit.
        Thread.sleep(500);
    }

    /**
     * Starts the instance; returns once its master runs. A Postfix that refuses to start says why only to syslog, or
     * to a terminal: the failure carries what {@code postfix check} prints on one ({@code script} lends it).
     */
    void start() throws Exception {
        try {
            run("postfix", "-c", etc().toString(), "start");
        } catch (LaunchFailure e) {
            throw new LaunchFailure(e.getMessage() + "; postfix check: " + diagnosis() + "; its log: " + log().strip());
        }
    }

    /** True while the instance's master runs. */
    boolean running() throws Exception {
        return new ProcessBuilder("postfix", "-c", etc().toString(), "status").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    }

    /** Stops the instance: {@code postfix stop} waits for its master to exit. */
    void stop() throws Exception {
        run("postfix", "-c", etc().toString(), "stop");
    }

    /** What {@code postqueue -p} lists: messages not yet delivered, deferred, or bounces. */
    String queue() throws Exception {
        return output("postqueue", "-c", etc().toString(), "-p");
    }

    /** Attempts every queued message now, deferred ones included ({@code postqueue -f}). */
    void flush() throws Exception {
        run("postqueue", "-c", etc().toString(), "-f");
    }

    String log() throws IOException {
        Path log = dir.resolve("log/maillog");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** Stops the instance if it runs, and removes its directory whatever happens. */
    @Override
    public void close() throws Exception {
        try {
            if (running()) {
                stop();
            }
        } finally {
            delete();
        }
    }

    /** Closes an instance that failed to be set up, keeping that failure first. */
    void closeAfter(Throwable failure) {
        try {
            close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    private void delete() throws Exception {
        run("rm", "-rf", dir.toString());
    }

    private String diagnosis() throws Exception {
        if (!Files.isExecutable(SCRIPT)) {
            return "(not run: no " + SCRIPT + ")";
        }
        Process process = new ProcessBuilder(SCRIPT.toString(), "-qec", "postfix -c " + etc() + " check", "/dev/null")
            .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output.replace("\r", "").strip();
    }

    static void run(String... command) throws Exception {
        output(command);
    }

    static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new LaunchFailure(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.trim());
        }
        return output;
    }
}
