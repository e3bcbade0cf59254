package org.rcptguard.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A scriptable SMTP backend for the directory tests where a real server cannot be made to behave so: it answers every
 * RCPT after {@code rcptDelay} (a slow backend), or never answers at all ({@link #hang}: a dead one). RCPT gets 250
 * for the addresses {@code known} accepts, 550 5.1.1 otherwise; DATA is refused (a verification never sends it, and
 * the test checks so through {@link #commands()}) unless {@link #acceptData} makes it a gateway's backend. Also the
 * slow backend of the flood benchmark (bench/flood-matrix.sh).
 */
public final class FakeSmtpBackend implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final Predicate<String> known;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private volatile Duration rcptDelay;
    private volatile boolean hang;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private volatile boolean acceptData;

    public FakeSmtpBackend(Predicate<String> known, Duration rcptDelay) throws IOException {
        this.known = known;
        this.rcptDelay = rcptDelay;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        connections.submit(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    void hang(boolean hang) {
        this.hang = hang;
    }

    List<String> commands() {
        return commands;
    }

    /** Accept DATA (as the backend of a gateway, receiving relayed mail) instead of refusing it. */
    void acceptData(boolean acceptData) {
        this.acceptData = acceptData;
    }

    /** The messages received with DATA. */
    List<String> messages() {
        return messages;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            if (hang) {
                Thread.sleep(60_000);
                return;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            write(out, "220 backend.example ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO":
                    case "HELO":
                        write(out, "250 backend.example");
                        break;
                    case "MAIL":
                        write(out, "250 2.1.0 OK");
                        break;
                    case "RCPT":
                        Thread.sleep(rcptDelay.toMillis());
                        String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')).toLowerCase(Locale.ROOT);
                        write(out, known.test(address) ? "250 2.1.5 OK" : "550 5.1.1 No such user");
                        break;
                    case "DATA":
                        if (!acceptData) {
                            write(out, "554 5.5.1 No DATA here");
                            break;
                        }
                        write(out, "354 Go ahead");
                        StringBuilder message = new StringBuilder();
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            message.append(data).append("\r\n");
                        }
                        messages.add(message.toString());
                        write(out, "250 2.0.0 Queued");
                        break;
                    case "RSET":
                    case "NOOP":
                        write(out, "250 2.0.0 OK");
                        break;
                    case "QUIT":
                        write(out, "221 2.0.0 Bye");
                        return;
                    default:
                        write(out, "502 5.5.2 Not here");
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException | InterruptedException e) {
            // test server: nothing to do
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
