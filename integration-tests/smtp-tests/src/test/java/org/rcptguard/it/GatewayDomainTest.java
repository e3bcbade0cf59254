package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.SmtpClient;

/**
 * The sample gateway configuration (conf/ with conf/gateway/ over it): example.net is not hosted by James, its
 * recipients come from conf/recipients-example.net.txt then from its backend (SMTP verification), and accepted mail
 * is relayed to the backend by RemoteDelivery's gateway. The backend is a scripted SMTP server that takes DATA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDomainTest {
    static final String DEFERRAL = "451 4.7.1 Please try again later\r\n";

    private FakeSmtpBackend backend;
    private JamesServerProcess james;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        // The backend has bob and carol (also in the list) and dave (only there: found by SMTP verification).
        backend = new FakeSmtpBackend(address -> address.matches("(bob|carol|dave)@example\\.net"), Duration.ZERO);
        backend.acceptData(true);
        Path conf = work.resolve("conf");
        JamesServerProcess.copyTree(JamesServerProcess.projectConfDir(), conf);
        Path gateway = JamesServerProcess.projectConfDir().resolve("gateway");
        Files.writeString(conf.resolve("mailetcontainer.xml"), Files.readString(gateway.resolve("mailetcontainer.xml"))
            .replace("backend.example.net:25", "127.0.0.1:" + backend.port()), StandardCharsets.UTF_8);
        Files.copy(gateway.resolve("recipients-example.net.txt"), conf.resolve("recipients-example.net.txt"));
        james = JamesServerProcess.builder()
            .confDir(conf)
            .rcptguardProperties(Map.ofEntries(
                Map.entry("greylist.delay", "2s"),
                Map.entry("greylist.retry.window", "8s"),
                Map.entry("autowhitelist.passes", "0"),
                Map.entry("whitelist.clients", "127.0.53.0/24"),
                Map.entry("directory.domains", "example.net"),
                Map.entry("directory.example.net.sources", "list,smtp"),
                Map.entry("directory.example.net.list", "conf/recipients-example.net.txt"),
                Map.entry("directory.example.net.smtp.host", "127.0.0.1:" + backend.port()),
                Map.entry("directory.timeout", "1s")))
            .start();
        RcptGuardSmtpTest.Users.create(james.webAdmin());
    }

    @AfterAll
    void stop() throws IOException {
        if (james != null) {
            james.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void acceptedMailForTheGatewayDomainIsRelayedToItsBackend() throws Exception {
        try (SmtpClient client = james.smtpFrom("127.0.51.2")) {
            client.ehlo("client.example");
            assertThat(client.authPlain("alice@example.com", "secret").code()).isEqualTo(235);
            assertThat(client.mailFrom("<alice@example.com>").code()).isEqualTo(250);
            assertThat(client.rcptTo("bob@example.net").code()).isEqualTo(250);
            assertThat(client.data("From: alice@example.com\r\nTo: bob@example.net\r\nSubject: through the gateway\r\n\r\nHello.\r\n")
                .code()).isEqualTo(250);
            client.quit();
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (backend.messages().stream().noneMatch(message -> message.contains("Subject: through the gateway"))
            && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(backend.messages()).anyMatch(message -> message.contains("Subject: through the gateway"));
        assertThat(backend.commands()).contains("RCPT TO:<bob@example.net>");
    }

    @Test
    void untrustedClientsGetTheGreylistingDeferralThenUnknownUsersAreRefused() throws Exception {
        String sender = "<someone@sender.example>";
        for (String recipient : new String[] {"bob@example.net", "dave@example.net", "nobody@example.net"}) {
            try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, "127.0.52.2", sender)) {
                assertThat(client.rcptTo(recipient).asString()).as(recipient).isEqualTo(DEFERRAL);
                client.quit();
            }
        }
        Thread.sleep(2_300);
        try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, "127.0.52.2", sender)) {
            assertThat(client.rcptTo("nobody@example.net").asString()).startsWith("550 5.1.1");
            // James's relay check would refuse the relayed domain to an unauthenticated client: RcptGuard accepts it.
            assertThat(client.rcptTo("bob@example.net").code()).isEqualTo(250);
            assertThat(client.data("Subject: passed greylisting\r\n\r\nHello.\r\n").code()).isEqualTo(250);
            client.quit();
        }
        awaitRelayed("Subject: passed greylisting");
    }

    @Test
    void aWhitelistedClientIsNotDelayedButUnknownUsersOfTheRelayedDomainAreStillRefused() throws Exception {
        try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, "127.0.53.2", "<partner@sender.example>")) {
            assertThat(client.rcptTo("nobody@example.net").asString()).startsWith("550 5.1.1");
            assertThat(client.rcptTo("bob@example.net").code()).isEqualTo(250);
            assertThat(client.data("Subject: whitelisted\r\n\r\nHello.\r\n").code()).isEqualTo(250);
            client.quit();
        }
        awaitRelayed("Subject: whitelisted");
    }

    private void awaitRelayed(String subject) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (backend.messages().stream().noneMatch(message -> message.contains(subject)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(backend.messages()).anyMatch(message -> message.contains(subject));
    }
}
