package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.SmtpClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.it.RcptGuardSmtpTest.Mailboxes;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.it.RcptGuardSmtpTest.Users;

/**
 * Content verdicts at the end of DATA in a real James, asked of a real rspamd and a real clamd (Debian's). Clients
 * of 127.0.60.0/24 are whitelisted, so every transaction here has passed greylisting and reaches DATA. An
 * administrator's mailet stores the messages rspamd tagged ({@code HasHeader=X-Spam-Status}) in a repository too,
 * where WebAdmin shows their headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentScanSmtpTest {
    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final String SOURCE = "127.0.60.2";
    private static final String TAGGED = "var/mail/spam-tagged/";

    private Rspamd rspamd;
    private Clamd clamd;
    private JamesServerProcess james;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(Rspamd.installed() && Clamd.installed(), "rspamd and clamd (Debian's rspamd, clamav-daemon) are not installed");
        clamd = new Clamd(work.resolve("clamd"));
        rspamd = new Rspamd(work.resolve("rspamd"));
        Path conf = work.resolve("conf");
        JamesServerProcess.copyTree(JamesServerProcess.projectConfDir(), conf);
        Files.writeString(conf.resolve("mailetcontainer.xml"), Files.readString(conf.resolve("mailetcontainer.xml")).replace(
            "<mailet match=\"All\" class=\"PostmasterAlias\"/>",
            "<mailet match=\"All\" class=\"PostmasterAlias\"/>\n"
                + "<mailet match=\"HasHeader=X-Spam-Status\" class=\"ToRepository\"><repositoryPath>memory://" + TAGGED
                + "</repositoryPath><passThrough>true</passThrough></mailet>"), StandardCharsets.UTF_8);
        james = JamesServerProcess.builder().confDir(conf).rcptguardProperties(Map.of(
            "greylist.delay", "2s",
            "whitelist.clients", "127.0.60.0/24",
            "content.rspamd.url", rspamd.url(),
            "content.clamd.address", clamd.address(),
            "content.opt-out", "bob@example.com",
            "content.strict", "carol@example.com")).start();
        Users.create(james.webAdmin());
        james.webAdmin().addUser("carol@example.com", "secret");
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
        if (rspamd != null) {
            rspamd.close();
        }
        if (clamd != null) {
            clamd.close();
        }
    }

    @Test
    void gtubeIsRefusedAtTheEndOfDataAndNothingIsQueuedOrBounced() throws Exception {
        long aliceBefore = james.webAdmin().inboxCount("alice@example.com");
        long postmasterBefore = james.webAdmin().inboxCount("postmaster@example.com");

        assertThat(send("alice@example.com", message("", GTUBE))).isEqualTo("550 5.7.1 Message refused: Gtube pattern");

        Thread.sleep(Duration.ofSeconds(2).toMillis());
        assertThat(james.webAdmin().get("/mailQueues/spool/mails").body()).isEqualTo("[]");
        HttpResponse<String> errors = james.webAdmin().get("/mailRepositories/"
            + URLEncoder.encode("var/mail/error/", StandardCharsets.UTF_8) + "/mails");
        assertThat(errors.statusCode() == 404 || errors.body().equals("[]")).as("error repository: %s", errors.body()).isTrue();
        assertThat(james.webAdmin().inboxCount("postmaster@example.com")).as("no bounce").isEqualTo(postmasterBefore);
        assertThat(james.webAdmin().inboxCount("alice@example.com")).isEqualTo(aliceBefore);
        assertThat(james.webAdmin().metric("rcptguard_content_rspamd_reject_total")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void eicarIsRefusedNamingTheSignature() throws Exception {
        assertThat(send("alice@example.com", message("", "attached: " + Clamd.EICAR)))
            .isEqualTo("550 5.7.1 Message refused: Eicar-Test-Signature.UNOFFICIAL");
    }

    @Test
    void theProjectsTestSignatureIsRefusedNamingIt() throws Exception {
        assertThat(send("alice@example.com", message("", Clamd.TEST_VIRUS)))
            .isEqualTo("550 5.7.1 Message refused: RcptGuard.Test.Signature.UNOFFICIAL");
    }

    @Test
    void rspamdsRejectGivesItsSmtpMessageAndItsSoftRejectAndGreylistGiveA451() throws Exception {
        assertThat(send("alice@example.com", message("X-RcptGuard-Test: reject\r\n", "hello")))
            .isEqualTo("550 5.7.1 Message refused: RcptGuard test asks for reject");
        assertThat(send("alice@example.com", message("X-RcptGuard-Test: soft-reject\r\n", "hello")))
            .isEqualTo("451 4.7.1 Message deferred: RcptGuard test asks for soft-reject");
        assertThat(send("alice@example.com", message("X-RcptGuard-Test: greylist\r\n", "hello")))
            .isEqualTo("451 4.7.1 Message deferred: RcptGuard test asks for greylist");
    }

    @Test
    void anAddHeaderMessageIsDeliveredWithRspamdsHeadersAndWithoutTheSendersForgedOnes() throws Exception {
        long aliceBefore = james.webAdmin().inboxCount("alice@example.com");

        assertThat(send("alice@example.com", message("X-RcptGuard-Test: add-header\r\nX-Spam-Status: No, forged by the sender\r\n",
            "tagged"))).startsWith("250");

        Mailboxes.awaitCount(james, "alice@example.com", aliceBefore + 1);
        String repository = "/mailRepositories/" + URLEncoder.encode(TAGGED, StandardCharsets.UTF_8) + "/mails";
        String keys = james.webAdmin().get(repository).body();
        assertThat(keys).isNotEqualTo("[]");
        String key = keys.replaceAll("^\\[\"|\"\\]$", "").split("\",\"")[0];
        String details = james.webAdmin().get(repository + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8)
            + "?additionalFields=headers").body();
        assertThat(details).contains("X-Spam-Status").contains("Yes, score=").doesNotContain("forged by the sender");
    }

    @Test
    void aPlainMessageIsDelivered() throws Exception {
        long aliceBefore = james.webAdmin().inboxCount("alice@example.com");
        assertThat(send("alice@example.com", message("", "plain"))).startsWith("250");
        Mailboxes.awaitCount(james, "alice@example.com", aliceBefore + 1);
    }

    @Test
    void optOutAndStrictRecipientsAreSplitOffAndEachGetsItsOwnVerdict() throws Exception {
        try (SmtpClient client = Smtp.open(james, SOURCE, "<sender@sender.example>")) {
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            assertThat(client.rcptTo("bob@example.com").asString())
                .isEqualTo("452 4.5.3 Recipient of another content policy, send it in a separate transaction\r\n");
            assertThat(client.rcptTo("carol@example.com").code()).isEqualTo(452);
            assertThat(client.data(message("X-RcptGuard-Test: score-8\r\n", "scored")).code()).isEqualTo(250);
        }
        // The opted-out address gets the spam a normal mailbox refuses; the strict one refuses a score of 8.
        long bobBefore = james.webAdmin().inboxCount("bob@example.com");
        assertThat(send("bob@example.com", message("", GTUBE))).startsWith("250");
        Mailboxes.awaitCount(james, "bob@example.com", bobBefore + 1);
        assertThat(send("carol@example.com", message("X-RcptGuard-Test: score-8\r\n", "scored")))
            .isEqualTo("550 5.7.1 Message refused: spam score over this domain's threshold");
    }

    @Test
    void anAuthenticatedClientIsScannedByDefault() throws Exception {
        try (SmtpClient client = new SmtpClient()) {
            client.connect("127.0.0.1", james.smtpPort(), "127.0.62.2");
            client.ehlo("client.example");
            assertThat(client.authPlain("alice@example.com", "secret").code()).isEqualTo(235);
            client.mailFrom("<alice@example.com>");
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            assertThat(client.data(message("", GTUBE)).asString().trim()).isEqualTo("550 5.7.1 Message refused: Gtube pattern");
        }
    }

    @Test
    void theHealthCheckPingsBothScanners() {
        HttpResponse<String> health = james.webAdmin().get("/healthcheck/checks/"
            + URLEncoder.encode("RcptGuard content scanners", StandardCharsets.UTF_8).replace("+", "%20"));
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"healthy\"");
    }

    /** The reply to the end of DATA of a one-recipient transaction from a whitelisted client, without its CRLF. */
    private String send(String recipient, String message) throws Exception {
        try (SmtpClient client = Smtp.open(james, SOURCE, "<sender@sender.example>")) {
            assertThat(client.rcptTo(recipient).code()).isEqualTo(250);
            return client.data(message).asString().trim();
        }
    }

    private static String message(String extraHeaders, String body) {
        return "From: sender@sender.example\r\nTo: alice@example.com\r\nSubject: content\r\n"
            + "Message-ID: <" + System.nanoTime() + "@sender.example>\r\n" + extraHeaders + "\r\n" + body + "\r\n";
    }
}
