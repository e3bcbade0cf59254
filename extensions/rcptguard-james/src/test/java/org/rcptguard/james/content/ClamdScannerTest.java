package org.rcptguard.james.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.content.Action;
import org.rcptguard.core.content.Envelope;
import org.rcptguard.core.content.MessageContent;
import org.rcptguard.core.content.ScanFailedException;

/** clamd's INSTREAM framing against a scripted server (the real clamd is in the SMTP tests). */
class ClamdScannerTest {
    private static final Envelope ENVELOPE = new Envelope("192.0.2.1", "h", "a@b.example", List.of("c@example.com"), Optional.empty(), "Q");

    private ServerSocket server;
    private Thread thread;
    private final AtomicReference<String> answer = new AtomicReference<>("stream: OK\0");
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<byte[]> streamed = new AtomicReference<>();
    private final AtomicReference<String> command = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    ByteArrayOutputStream name = new ByteArrayOutputStream();
                    for (int b = in.read(); b > 0; b = in.read()) {
                        name.write(b);
                    }
                    command.set(name.toString(StandardCharsets.US_ASCII));
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    if (command.get().equals("zINSTREAM")) {
                        for (int length = in.readInt(); length > 0; length = in.readInt()) {
                            data.write(in.readNBytes(length));
                        }
                    }
                    streamed.set(data.toByteArray());
                    Thread.sleep(delay.get().toMillis());
                    socket.getOutputStream().write(answer.get().getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    // next connection
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ClamdScanner scanner(Duration timeout) {
        return new ClamdScanner("127.0.0.1:" + server.getLocalPort(), timeout);
    }

    private static MessageContent message(byte[] bytes) {
        return new MessageContent() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    @Test
    void streamsTheMessageInLengthPrefixedChunks() throws Exception {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        assertThat(scanner(Duration.ofSeconds(5)).scan(ENVELOPE, message(big)).action()).isEqualTo(Action.NO_ACTION);
        assertThat(command.get()).isEqualTo("zINSTREAM");
        assertThat(streamed.get()).isEqualTo(big);
    }

    @Test
    void foundNamesTheSignature() throws Exception {
        answer.set("stream: Eicar-Test-Signature FOUND\0");
        var verdict = scanner(Duration.ofSeconds(5)).scan(ENVELOPE, message("x".getBytes(StandardCharsets.US_ASCII)));
        assertThat(verdict.action()).isEqualTo(Action.REJECT);
        assertThat(verdict.reason()).isEqualTo("Eicar-Test-Signature");
    }

    @Test
    void anErrorOrGarbageIsAFailure() {
        for (String garbage : List.of("INSTREAM size limit exceeded. ERROR\0", "hello\0", "\0")) {
            answer.set(garbage);
            assertThatThrownBy(() -> scanner(Duration.ofSeconds(5)).scan(ENVELOPE, message(new byte[10])))
                .as(garbage).isInstanceOf(ScanFailedException.class);
        }
    }

    @Test
    void aSlowAnswerFailsAtTheTimeout() {
        delay.set(Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertThatThrownBy(() -> scanner(Duration.ofMillis(500)).scan(ENVELOPE, message(new byte[10])))
            .isInstanceOf(ScanFailedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void pingExpectsPong() throws Exception {
        answer.set("PONG\0");
        scanner(Duration.ofSeconds(2)).ping();
        assertThat(command.get()).isEqualTo("zPING");
    }
}
