package org.rcptguard.james.content;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.content.ContentScanner;
import org.rcptguard.core.content.Envelope;
import org.rcptguard.core.content.MessageContent;
import org.rcptguard.core.content.ScanFailedException;
import org.rcptguard.core.content.Verdict;

/**
 * clamd's {@code INSTREAM} over TCP: the message in 64 KiB chunks, each preceded by its length, then a zero length;
 * clamd answers {@code stream: OK}, {@code stream: NAME FOUND} or {@code ... ERROR}. A Unix socket would need the
 * JDK 16 {@code UnixDomainSocketAddress}, and RcptGuard runs on JDK 11: point it at clamd's {@code TCPSocket} on loopback.
 */
public final class ClamdScanner implements ContentScanner {
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_ANSWER = 4096;
    // Closes the socket of a scan past its deadline: socket writes have no timeout of their own.
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
        DaemonThreads.named("rcptguard-clamd-deadline"));

    private final InetSocketAddress address;
    private final Duration timeout;

    public ClamdScanner(String address, Duration timeout) {
        this.address = socketAddress(address);
        this.timeout = timeout;
    }

    /** {@code host:port}, e.g. {@code 127.0.0.1:3310}. */
    static InetSocketAddress socketAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port");
        }
        int port = Integer.parseInt(address.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        return InetSocketAddress.createUnresolved(address.substring(0, colon).replaceAll("^\\[|\\]$", ""), port);
    }

    @Override
    public String name() {
        return "clamd";
    }

    @Override
    public Verdict scan(Envelope envelope, MessageContent message) throws ScanFailedException {
        String answer = exchange("zINSTREAM\0", out -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = message.open()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    if (read > 0) {
                        out.writeInt(read);
                        out.write(buffer, 0, read);
                    }
                }
            }
            out.writeInt(0);
        });
        return verdict(answer);
    }

    @Override
    public void ping() throws ScanFailedException {
        String answer = exchange("zPING\0", out -> { });
        if (!answer.equals("PONG")) {
            throw new ScanFailedException("clamd answered PING with: " + answer);
        }
    }

    static Verdict verdict(String answer) throws ScanFailedException {
        if (answer.endsWith(" FOUND")) {
            String found = answer.substring(0, answer.length() - " FOUND".length());
            return Verdict.infected(found.substring(found.indexOf(':') + 1).trim());
        }
        if (answer.endsWith(": OK")) {
            return Verdict.clean();
        }
        throw new ScanFailedException("clamd answered: " + answer);
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private String exchange(String command, Body body) throws ScanFailedException {
        try (Socket socket = new Socket()) {
            ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> closeQuietly(socket), timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
                socket.connect(resolved, (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream(), CHUNK + 4));
                out.write(command.getBytes(StandardCharsets.US_ASCII));
                body.write(out);
                out.flush();
                return readAnswer(socket.getInputStream());
            } finally {
                deadline.cancel(false);
            }
        } catch (IOException e) {
            throw new ScanFailedException("clamd at " + address + ": " + e, e);
        }
    }

    /** Up to the NUL that ends a {@code z} command's answer. */
    private static String readAnswer(InputStream in) throws IOException, ScanFailedException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        for (int b = in.read(); b > 0; b = in.read()) {
            if (answer.size() >= MAX_ANSWER) {
                throw new ScanFailedException("clamd's answer is too long");
            }
            answer.write(b);
        }
        return answer.toString(StandardCharsets.US_ASCII).trim();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the scan fails with the closed socket's exception
        }
    }
}
