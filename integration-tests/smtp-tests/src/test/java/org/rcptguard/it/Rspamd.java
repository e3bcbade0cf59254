package org.rcptguard.it;

import org.rcptguard.launcher.JamesServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rspamd for tests: Debian's {@code rspamd} with Debian's rules and this project's test configuration
 * ({@code src/test/resources/rspamd}: one worker on a free loopback port, the test rule of {@code rspamd.local.lua}),
 * a non-system instance in a temporary directory. It takes 15 to 30 s to load its rules on an idle machine, minutes on a busy one.
 */
public final class Rspamd implements AutoCloseable {
    static final String BINARY = "/usr/bin/rspamd";
    private static final List<String> FILES = List.of("rspamd.conf", "rspamd.local.lua", "local.d/options.inc",
        "local.d/actions.conf", "local.d/milter_headers.conf");

    private final Path home;
    private final int port;
    private final Process process;

    public static boolean installed() {
        return Files.isExecutable(Path.of(BINARY)) && Files.isDirectory(Path.of("/etc/rspamd"));
    }

    public Rspamd(Path home) throws Exception {
        this.home = home;
        this.port = JamesServerProcess.freePort(false);
        Files.createDirectories(home.resolve("local.d"));
        Files.createDirectories(home.resolve("run"));
        Files.createDirectories(home.resolve("db"));
        for (String file : FILES) {
            try (InputStream in = Rspamd.class.getResourceAsStream("/rspamd/" + file)) {
                Files.writeString(home.resolve(file), new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@PORT@", String.valueOf(port)), StandardCharsets.UTF_8);
            }
        }
        // As root, rspamd wants a user to drop to; -i keeps root, which owns this temporary directory.
        List<String> command = new java.util.ArrayList<>(List.of(BINARY, "-f", "-c", home.resolve("rspamd.conf").toString(),
            "--var", "CONFDIR=/etc/rspamd", "--var", "LOCAL_CONFDIR=" + home, "--var", "RUNDIR=" + home.resolve("run"),
            "--var", "DBDIR=" + home.resolve("db")));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("-i");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve("rspamd.log").toFile()).start();
        try {
            awaitPing(Duration.ofSeconds(240));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitPing(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rspamd exited: " + Files.readString(home.resolve("rspamd.log")));
            }
            try {
                HttpResponse<String> pong = client.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (pong.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("rspamd did not answer /ping on " + port + ": " + Files.readString(home.resolve("rspamd.log")));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
