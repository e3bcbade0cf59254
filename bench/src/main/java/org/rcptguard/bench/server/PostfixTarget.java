package org.rcptguard.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.rcptguard.launcher.CassandraNode;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * Postfix (Debian's package) with postgrey as its policy service, a private instance set up and started by
 * {@code bench/postfix/postfix-instance} (see bench/postfix/README.md for every setting). Needs root, as Postfix does.
 * The instance lives on tmpfs where there is one ({@code /dev/shm}), else in {@code /tmp}: the postfix user must reach
 * it, and James's memory server keeps its spool in memory too. It is deleted when the target closes.
 */
public final class PostfixTarget implements BenchTarget {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);

    private final String name;
    private final Path script;
    private final Path dir;
    private final int port;
    private final Duration greylistDelay;
    /** Stops the instance if the benchmark is killed: its daemons run detached and would outlive it. */
    private final Thread reaper = new Thread(this::stopAndDelete, "postfix-reaper");

    private PostfixTarget(String name, Path script, Path dir, int port, Duration greylistDelay) {
        this.name = name;
        this.script = script;
        this.dir = dir;
        this.port = port;
        this.greylistDelay = greylistDelay;
    }

    /**
     * Starts an instance in {@code workDir/<name>}. {@code greylist} is one of the script's variants:
     * {@code reject-first} (the usual setup), {@code greylist-first} (RcptGuard's order) or {@code none}.
     */
    public static PostfixTarget start(String name, Path repository, Path workDir, String greylist, Duration delay,
                                      String domain, List<String> recipients, List<String> extraArguments) {
        Path script = repository.resolve("bench/postfix/postfix-instance");
        try {
            Path shm = Paths.get("/dev/shm");
            Path dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Paths.get("/tmp"), "rcptguard-bench-" + name + "-");
            Files.createDirectories(workDir);
            Path recipientFile = workDir.resolve(name + "-recipients");
            Files.write(recipientFile, recipients, StandardCharsets.US_ASCII);
            int port = JamesServerProcess.freePort(false);
            List<String> command = new ArrayList<>(List.of(script.toString(), "start", dir.toString(),
                "--port", String.valueOf(port), "--policy-port", String.valueOf(JamesServerProcess.freePort(false)),
                "--domain", domain, "--recipients", recipientFile.toString(),
                "--delay", String.valueOf(Math.max(1, delay.toSeconds())), "--greylist", greylist));
            command.addAll(extraArguments);
            PostfixTarget target = new PostfixTarget(name, script, dir, port, "none".equals(greylist) ? Duration.ZERO : delay);
            Runtime.getRuntime().addShutdownHook(target.reaper);
            target.runScript(command);
            return target;
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
        return port;
    }

    @Override
    public Duration greylistDelay() {
        return greylistDelay;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // shutting down: the hook stops the instance
        }
        stopAndDelete();
    }

    private void stopAndDelete() {
        runScript(List.of(script.toString(), "stop", dir.toString()));
        try {
            CassandraNode.deleteRecursively(dir);
        } catch (UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private void runScript(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
