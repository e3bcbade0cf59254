package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.SmtpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.it.RcptGuardSmtpTest.Mailboxes;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.it.RcptGuardSmtpTest.Users;

import com.sun.net.httpserver.HttpServer;

/**
 * Scanner failures in a real James: an rspamd that is down, slow past its timeout, or answers garbage gives
 * {@code 451 4.3.0} (the default {@code on-failure=defer}); a clamd that is down, set to {@code on-failure=accept},
 * lets the message through unscanned, counted; with {@code content.trusted-clients=skip} an authenticated client is
 * not scanned at all. The rspamd here is a scripted HTTP server: a real one cannot be
 * made to answer garbage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentFailureSmtpTest {
    private static final String SOURCE = "127.0.61.2";
    private static final String FAILED = "451 4.3.0 Content scan unavailable, please try again later";

    private final AtomicReference<String> answer = new AtomicReference<>("{\"action\":\"no action\"}");
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private int rspamdPort;
    private HttpServer rspamd;
    private JamesServerProcess james;

    @BeforeAll
    void start() throws IOException {
        rspamdPort = JamesServerProcess.freePort(false);
        startRspamd();
        int nothingListens = JamesServerProcess.freePort(false);
        james = JamesServerProcess.start(JamesServerProcess.projectConfDir(), Map.of(
            "greylist.delay", "2s",
            "whitelist.clients", "127.0.61.0/24",
            "content.rspamd.url", "http://127.0.0.1:" + rspamdPort,
            "content.rspamd.timeout", "4s",
            "content.clamd.address", "127.0.0.1:" + nothingListens,
            "content.clamd.timeout", "2s",
            "content.clamd.on-failure", "accept",
            "content.trusted-clients", "skip"));
        Users.create(james.webAdmin());
    }

    private void startRspamd() throws IOException {
        rspamd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), rspamdPort), 0);
        rspamd.setExecutor(Executors.newCachedThreadPool());
        rspamd.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
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
        rspamd.start();
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.close();
        }
        rspamd.stop(0);
    }

    @Test
    void anRspamdThatIsDownSlowOrGarbledDefersAndAClamdSetToAcceptLetsTheMessageThrough() throws Exception {
        long aliceBefore = james.webAdmin().inboxCount("alice@example.com");

        assertThat(send()).as("clamd down, accepted; rspamd answers").startsWith("250");
        Mailboxes.awaitCount(james, "alice@example.com", aliceBefore + 1);
        assertThat(james.webAdmin().metric("rcptguard_content_clamd_failure_total")).isEqualTo(1.0);

        rspamd.stop(0);
        assertThat(send()).as("rspamd down").isEqualTo(FAILED);
        assertThat(sendAuthenticated()).as("an authenticated client is not scanned: trusted-clients=skip").startsWith("250");
        startRspamd();

        delay.set(Duration.ofSeconds(10));
        long start = System.nanoTime();
        assertThat(send()).as("rspamd slow").isEqualTo(FAILED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the 4 s timeout").isLessThan(Duration.ofSeconds(8));
        delay.set(Duration.ZERO);

        answer.set("<html>502 Bad Gateway</html>");
        assertThat(send()).as("rspamd garbled").isEqualTo(FAILED);

        assertThat(james.webAdmin().metric("rcptguard_content_rspamd_failure_total")).isGreaterThanOrEqualTo(3.0);
        assertThat(james.webAdmin().inboxCount("alice@example.com")).isEqualTo(aliceBefore + 1);
        assertThat(james.webAdmin().get("/healthcheck/checks/RcptGuard%20content%20scanners").body())
            .contains("degraded").contains("clamd is not answering");
    }

    private String sendAuthenticated() throws Exception {
        try (SmtpClient client = new SmtpClient()) {
            client.connect("127.0.0.1", james.smtpPort(), "127.0.63.2");
            client.ehlo("client.example");
            assertThat(client.authPlain("alice@example.com", "secret").code()).isEqualTo(235);
            client.mailFrom("<alice@example.com>");
            assertThat(client.rcptTo("bob@example.com").code()).isEqualTo(250);
            return client.data(RcptGuardSmtpTest.Smtp.message("trusted")).asString().trim();
        }
    }

    private String send() throws Exception {
        try (SmtpClient client = Smtp.open(james, SOURCE, "<sender@sender.example>")) {
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            return client.data(RcptGuardSmtpTest.Smtp.message("failure")).asString().trim();
        }
    }
}
