package org.rcptguard.bench.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.bench.Options;

/** The sender against a greylisting SMTP server of a few lines that passes a triplet at its second sighting. */
class RotatingPoolSenderTest {
    private GreylistingServer server;

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void greylistedByNetworkAPoolOfOneIsDeliveredAtTheSecondAttempt() throws Exception {
        server = new GreylistingServer((client, sender) -> network(client) + "|" + sender);

        RotatingPoolSender sender = sender(Map.of());

        for (int i = 0; i < 3; i++) {
            RotatingPoolSender.Delivery delivery = sender.deliver(1);
            assertThat(delivery.delivered).isTrue();
            assertThat(delivery.attempts).isEqualTo(2);
        }
    }

    @Test
    void greylistedByNetworkALargePoolNeedsMoreAttempts() throws Exception {
        server = new GreylistingServer((client, sender) -> network(client) + "|" + sender);

        RotatingPoolSender sender = sender(Map.of("max-attempts", "40"));

        int attempts = 0;
        for (int i = 0; i < 4; i++) {
            attempts += sender.deliver(32).attempts;
        }
        assertThat(attempts).isGreaterThan(4 * 2);
    }

    @Test
    void greylistedByTheSendersIdentityEveryPoolIsDeliveredAtTheSecondAttempt() throws Exception {
        server = new GreylistingServer((client, sender) -> "spf:" + sender.substring(sender.indexOf('@') + 1) + "|" + sender);

        String report = sender(Map.of("pools", "1,3,8,32", "messages", "1")).run();

        assertThat(report).contains("| 1 | 1 | 1 | 2 | 2 |", "| 3 | 1 | 1 | 2 | 2 |", "| 8 | 1 | 1 | 2 | 2 |", "| 32 | 1 | 1 | 2 | 2 |");
    }

    private RotatingPoolSender sender(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("target", "127.0.0.1:" + server.port(), "retry", "10ms",
            "max-attempts", "12", "seed", "7", "pool-base", "127.0.128.0", "sender-domain", "pool.example.com",
            "helo", "mta.pool.example.com", "recipient", "alice@example.com", "real-retry", "15m"));
        values.putAll(Map.of("label", "fake", "pools", "1", "messages", "1"));
        values.putAll(overrides);
        return new RotatingPoolSender(new Options(new String[0], values));
    }

    private static String network(InetAddress client) {
        byte[] bytes = client.getAddress();
        return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF);
    }

    /** Defers the first RCPT of each key, accepts from its second sighting on. */
    private static final class GreylistingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final BiFunction<InetAddress, String, String> key;

        GreylistingServer(BiFunction<InetAddress, String, String> key) throws IOException {
            this.key = key;
            this.socket = new ServerSocket();
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread thread = new Thread(this::serve, "greylisting-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    converse(client);
                } catch (IOException e) {
                    // closed, or the client went away
                }
            }
        }

        private void converse(Socket client) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII);
            out.print("220 fake\r\n");
            out.flush();
            String sender = "";
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.toUpperCase();
                if (command.startsWith("EHLO")) {
                    out.print("250 fake\r\n");
                } else if (command.startsWith("MAIL FROM:")) {
                    sender = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    out.print("250 ok\r\n");
                } else if (command.startsWith("RCPT TO:")) {
                    out.print(seen.add(key.apply(client.getInetAddress(), sender)) ? "451 4.7.1 later\r\n" : "250 ok\r\n");
                } else if (command.equals("DATA")) {
                    out.print("354 go\r\n");
                    out.flush();
                    while (!".".equals(in.readLine())) {
                        // the message
                    }
                    out.print("250 queued\r\n");
                } else if (command.equals("QUIT")) {
                    out.print("221 bye\r\n");
                    out.flush();
                    return;
                } else {
                    out.print("500 what\r\n");
                }
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
