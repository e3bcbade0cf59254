package org.rcptguard.james.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.content.Action;
import org.rcptguard.core.content.Envelope;
import org.rcptguard.core.content.HeaderChange;
import org.rcptguard.core.content.MessageContent;
import org.rcptguard.core.content.ScanFailedException;
import org.rcptguard.core.content.Verdict;

import com.sun.net.httpserver.HttpServer;

/** The rspamd adapter's wire side against a scripted HTTP server (the real rspamd is in the SMTP tests). */
class RspamdScannerTest {
    private static final Envelope ENVELOPE = new Envelope("192.0.2.1", "mx.sender.example", "a@sender.example",
        List.of("alice@example.com", "bob@example.com"), Optional.of("alice"), "Q1");
    private static final byte[] MESSAGE = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private final AtomicReference<String> answer = new AtomicReference<>("{}");
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final Map<String, Object> received = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            received.put("path", exchange.getRequestURI().getPath());
            received.put("headers", Map.copyOf(exchange.getRequestHeaders()));
            received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII));
            try {
                Thread.sleep(delay.get().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private RspamdScanner scanner(Duration timeout) {
        return new RspamdScanner(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), timeout);
    }

    private static MessageContent message() {
        return new MessageContent() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(MESSAGE);
            }

            @Override
            public long size() {
                return MESSAGE.length;
            }
        };
    }

    @Test
    @SuppressWarnings("unchecked")
    void postsTheMessageToCheckv2WithTheEnvelopeAsHeaders() throws Exception {
        answer.set("{\"action\":\"no action\",\"score\":1.5}");
        Verdict verdict = scanner(Duration.ofSeconds(5)).scan(ENVELOPE, message());

        assertThat(verdict.action()).isEqualTo(Action.NO_ACTION);
        assertThat(received.get("path")).isEqualTo("/checkv2");
        assertThat(received.get("body")).isEqualTo(new String(MESSAGE, StandardCharsets.US_ASCII));
        Map<String, List<String>> headers = (Map<String, List<String>>) received.get("headers");
        assertThat(headers.get("Ip")).containsExactly("192.0.2.1");
        assertThat(headers.get("Helo")).containsExactly("mx.sender.example");
        assertThat(headers.get("From")).containsExactly("a@sender.example");
        assertThat(headers.get("Rcpt")).containsExactly("alice@example.com", "bob@example.com");
        assertThat(headers.get("User")).containsExactly("alice");
        assertThat(headers.get("Queue-id")).containsExactly("Q1");
    }

    @Test
    void readsTheActionTheSmtpMessageTheScoreAndTheMilterHeaders() throws Exception {
        Verdict verdict = RspamdScanner.verdict("{\"action\":\"add header\",\"score\":7.5,\"messages\":{\"smtp_message\":\"spammy\"},"
            + "\"milter\":{\"remove_headers\":{\"X-Spam-Status\":0},\"add_headers\":{\"X-Spam-Status\":{\"value\":\"Yes, score=7.50\",\"order\":-1},"
            + "\"X-Spam-Level\":\"*******\"}}}");
        assertThat(verdict.action()).isEqualTo(Action.ADD_HEADER);
        assertThat(verdict.reason()).isEqualTo("spammy");
        assertThat(verdict.score().getAsDouble()).isEqualTo(7.5);
        assertThat(verdict.headerChanges()).containsExactly(HeaderChange.remove("X-Spam-Status"),
            HeaderChange.add("X-Spam-Status", "Yes, score=7.50"), HeaderChange.add("X-Spam-Level", "*******"));
    }

    @Test
    void anAddHeaderVerdictWithoutMilterHeadersGetsTheSpamFlag() throws Exception {
        assertThat(RspamdScanner.verdict("{\"action\":\"add header\"}").headerChanges()).containsExactly(HeaderChange.add("X-Spam", "Yes"));
        assertThat(RspamdScanner.verdict("{\"action\":\"rewrite subject\",\"subject\":\"[SPAM] hi\"}").subject()).contains("[SPAM] hi");
    }

    @Test
    void garbageIsAFailure() {
        for (String garbage : List.of("not json", "{\"action\":\"launch missiles\"}", "[]", "", "{\"action\":\"add header\","
            + "\"milter\":{\"add_headers\":{\"Bad\\r\\nName\":\"v\"}}}")) {
            answer.set(garbage);
            assertThatThrownBy(() -> scanner(Duration.ofSeconds(5)).scan(ENVELOPE, message()))
                .as(garbage).isInstanceOf(ScanFailedException.class);
        }
    }

    @Test
    void aSlowAnswerFailsAtTheTimeout() {
        answer.set("{\"action\":\"no action\"}");
        delay.set(Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertThatThrownBy(() -> scanner(Duration.ofMillis(500)).scan(ENVELOPE, message()))
            .isInstanceOf(ScanFailedException.class).hasMessageContaining("did not answer within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aServerThatIsDownIsAFailure() {
        int port = server.getAddress().getPort();
        server.stop(0);
        assertThatThrownBy(() -> new RspamdScanner(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2)).scan(ENVELOPE, message()))
            .isInstanceOf(ScanFailedException.class);
    }
}
