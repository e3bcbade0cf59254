package org.rcptguard.it;

import org.rcptguard.launcher.JamesServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd for tests: Debian's {@code clamd} in the foreground on a free loopback port, with a signature database
 * of its own (the official ones cannot be downloaded here): EICAR's test string and {@link #TEST_SIGNATURE}'s.
 */
public final class Clamd implements AutoCloseable {
    static final String BINARY = "/usr/sbin/clamd";
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!H+H*";
    /** A string that this database, and only it, calls {@code RcptGuard.Test.Signature}. */
    static final String TEST_VIRUS = "RCPTGUARD-TEST-VIRUS-SIGNATURE";

    private final Path home;
    private final int port;
    private final Process process;

    public static boolean installed() {
        return Files.isExecutable(Path.of(BINARY));
    }

    public Clamd(Path home) throws Exception {
        this.home = home;
        this.port = JamesServerProcess.freePort(false);
        Files.createDirectories(home.resolve("db"));
        // .ndb: name, target type (0: any file), offset (*: anywhere), hex of the bytes.
        Files.writeString(home.resolve("db/rcptguard-test.ndb"), "Eicar-Test-Signature:0:*:" + hex(EICAR) + "\n"
            + "RcptGuard.Test.Signature:0:*:" + hex(TEST_VIRUS) + "\n", StandardCharsets.US_ASCII);
        Files.writeString(home.resolve("clamd.conf"), String.join("\n",
            "Foreground yes",
            "TCPSocket " + port,
            "TCPAddr 127.0.0.1",
            "DatabaseDirectory " + home.resolve("db"),
            "LogFile " + home.resolve("clamd.log"),
            "PidFile " + home.resolve("clamd.pid"),
            "StreamMaxLength 25M",
            ""), StandardCharsets.US_ASCII);
        process = new ProcessBuilder(BINARY, "-c", home.resolve("clamd.conf").toString())
            .redirectErrorStream(true).redirectOutput(home.resolve("clamd.out").toFile()).start();
        try {
            awaitListening();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clamd exited: " + Files.readString(home.resolve("clamd.out")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("clamd did not listen on " + port);
    }

    private static String hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
