package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.PostfixBackend;
import org.rcptguard.launcher.SmtpClient;

/**
 * In-line delivery (docs/design.md, "In-line delivery") against real Postfix backends: example.test and other.test
 * are gateway domains, each verified against and delivered in-line to its own Postfix; example.com is hosted by
 * James. The client network 127.0.61.0/24 is whitelisted, so that no test waits for greylisting; a whitelisted client's
 * recipients of a gateway domain are still verified against the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InlineDeliveryTest {
    private static final String CLIENT = "127.0.61.2";
    private static final String SENDER = "<sender@sender.example>";
    private static final String HEALTH = "/healthcheck/checks/RcptGuard%20in-line%20backends";

    private PostfixBackend backend;
    private PostfixBackend other;
    private JamesServerProcess james;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PostfixBackend.installed(), "needs root and /usr/sbin/postfix");
        backend = PostfixBackend.start("127.0.0.1", List.of("example.test"),
            List.of("bob@example.test", "carol@example.test", "dave@example.test", "frank@example.test"));
        other = PostfixBackend.start("127.0.0.1", List.of("other.test"), List.of("erin@other.test"));
        james = JamesServerProcess.builder()
            .rcptguardProperties(Map.ofEntries(
                Map.entry("whitelist.clients", "127.0.61.0/24"),
                Map.entry("directory.domains", "example.test,other.test"),
                Map.entry("directory.example.test.sources", "smtp"),
                Map.entry("directory.example.test.smtp.host", backend.hostPort()),
                Map.entry("directory.example.test.delivery", "inline"),
                Map.entry("directory.other.test.sources", "smtp"),
                Map.entry("directory.other.test.smtp.host", other.hostPort()),
                Map.entry("directory.other.test.delivery", "inline"),
                Map.entry("directory.timeout", "3s"),
                Map.entry("directory.inline.connect.timeout", "2s"),
                Map.entry("directory.inline.command.timeout", "3s"),
                Map.entry("directory.inline.data.timeout", "10s"),
                Map.entry("directory.inline.max.sessions", "1")))
            .startTimeout(Duration.ofMinutes(5))
            .start();
        RcptGuardSmtpTest.Users.create(james.webAdmin());
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    @Order(1)
    void aGoodMessageIsInTheBackendByteForByteWithJamesReceivedLineAndNothingIsQueued() throws Exception {
        String message = "From: sender@sender.example\r\nTo: bob@example.test\r\nSubject: in-line one\r\n"
            + "Date: Thu, 03 Dec 2026 08:00:00 +0000\r\n"
            + "Message-ID: <inline-one@sender.example>\r\n\r\nHello.\r\n.a line that starts with a dot\r\n\r\nBye.\r\n";
        String reply;
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("bob@example.test").code()).isEqualTo(250);
            reply = client.data(message).asString();
            client.quit();
        }
        // The 250 names the backend's queue id: Postfix had the message before the client heard 250.
        assertThat(reply).startsWith("250 2.0.0 Delivered: Ok: queued as ");
        String queueId = reply.substring("250 2.0.0 Delivered: Ok: queued as ".length()).trim();
        assertThat(backend.log()).contains(queueId + ": message-id=<inline-one@sender.example>");

        String delivered = awaitMessages("bob@example.test", 1).get(0);
        String original = message.replace("\r\n", "\n");
        assertThat(delivered).endsWith(original);
        String added = delivered.substring(0, delivered.length() - original.length());
        // Postfix's own: Return-Path, X-Original-To, Delivered-To and its Received; then James's one Received header.
        List<String> fields = List.of(added.split("\n(?![ \t])"));
        assertThat(fields).hasSize(5);
        assertThat(fields.get(0)).startsWith("Return-Path: <sender@sender.example>");
        assertThat(fields.get(1)).startsWith("X-Original-To: bob@example.test");
        assertThat(fields.get(2)).startsWith("Delivered-To: bob@example.test");
        // ESMTPS: relayed over STARTTLS, which the backend offers (directory.inline.starttls=opportunistic by default).
        assertThat(fields.get(3)).startsWith("Received: from ").contains("by backend.test (Postfix) with ESMTPS");
        assertThat(fields.get(4)).startsWith("Received: from ").contains("by mx.example.com");

        assertNothingQueuedByJames();
        assertThat(metric("rcptguard_inline_outcome_DELIVERED_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(2)
    void aMessageTheBackendRefusesAfterDataIsRefusedToTheClientAndNothingBounces() throws Exception {
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("carol@example.test").code()).isEqualTo(250);
            assertThat(client.data("Subject: please " + PostfixBackend.REFUSED_SUBJECT + "\r\n\r\nSpam.\r\n").asString())
                .isEqualTo("550 5.7.1 Refused by the backend's header rule\r\n");
            client.quit();
        }
        Thread.sleep(1_000);
        assertThat(backend.messages("carol@example.test")).isEmpty();
        assertThat(backend.queue()).as("no bounce at the backend").contains("Mail queue is empty");
        assertNothingQueuedByJames();
    }

    @Test
    @Order(3)
    void backendDownDefersThenTheRetryDeliversOnce() throws Exception {
        backend.stop();
        try {
            try (SmtpClient client = open()) {
                // bob was verified by the first test: his answer is cached, so only delivery meets the outage.
                assertThat(client.rcptTo("bob@example.test").code()).isEqualTo(250);
                assertThat(client.data("Subject: while down\r\n\r\nHello.\r\n").asString())
                    .startsWith("451 4.4.1");
                client.quit();
            }
            assertNothingQueuedByJames();
            assertThat(james.webAdmin().get(HEALTH).body()).contains("degraded").contains(backend.hostPort() + " is down");
            assertThat(james.webAdmin().get("/rcptguard/backends").body())
                .contains(backend.hostPort()).contains("\"state\":\"down\"");
            assertThat(james.log()).contains("stage=inline backend=" + backend.hostPort() + " recipients=1 outcome=UNREACHABLE");
        } finally {
            backend.start();
        }
        assertThat(james.webAdmin().get(HEALTH).body()).contains("healthy").doesNotContain("degraded");
        sendAndExpect250("bob@example.test", "Subject: while down\r\n\r\nHello.\r\n");
        assertThat(awaitMessages("bob@example.test", 2)).filteredOn(text -> text.contains("Subject: while down")).hasSize(1);
    }

    @Test
    @Order(4)
    void aBackendSlowPastTheCommandTimeoutDefersASecondRelayBeyondTheBoundIsBusyAndNothingIsDelivered() throws Exception {
        backend.postconf("smtpd_data_restrictions = sleep 6");
        try {
            // Two relays at once to a backend bounded to one session: one waits for the slow backend past the
            // 3 s command timeout (451 4.4.2), the other is refused at once (451 4.4.5).
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                Future<String> first = clients.submit(() -> slowTransaction("first"));
                Thread.sleep(1_000);
                Future<String> second = clients.submit(() -> slowTransaction("second"));
                assertThat(List.of(first.get(60, TimeUnit.SECONDS).substring(0, 9), second.get(60, TimeUnit.SECONDS).substring(0, 9)))
                    .containsExactlyInAnyOrder("451 4.4.2", "451 4.4.5");
            } finally {
                clients.shutdownNow();
            }
        } finally {
            backend.postconf("smtpd_data_restrictions =");
        }
        assertThat(metric("rcptguard_inline_outcome_BUSY_total")).isEqualTo(1);
        assertThat(metric("rcptguard_inline_outcome_LOST_total")).isEqualTo(1);
        sendAndExpect250("bob@example.test", "Subject: slow backend\r\n\r\nHello.\r\n");
        Thread.sleep(1_000);
        assertThat(awaitMessages("bob@example.test", 3)).filteredOn(text -> text.contains("Subject: slow backend")).hasSize(1);
        assertNothingQueuedByJames();
    }

    private String slowTransaction(String name) throws Exception {
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("bob@example.test").code()).isEqualTo(250);
            String reply = client.data("Subject: slow backend " + name + "\r\n\r\nHello.\r\n").asString();
            client.quit();
            return reply;
        }
    }

    @Test
    @Order(5)
    void aBackend4xxAtRcptDefersTheTransactionAndRecordsNothing() throws Exception {
        sendAndExpect250("carol@example.test", "Subject: carol verified\r\n\r\nHello.\r\n");
        backend.deferring(List.of("carol@example.test"));
        try {
            try (SmtpClient client = open()) {
                assertThat(client.rcptTo("carol@example.test").code()).isEqualTo(250);
                assertThat(client.data("Subject: carol busy\r\n\r\nHello.\r\n").asString()).startsWith("451 4.4.0");
                client.quit();
            }
        } finally {
            backend.deferring(List.of());
        }
        sendAndExpect250("carol@example.test", "Subject: carol busy\r\n\r\nHello.\r\n");
        assertThat(awaitMessages("carol@example.test", 2)).filteredOn(text -> text.contains("Subject: carol busy")).hasSize(1);
    }

    @Test
    @Order(6)
    void aRecipientRemovedFromTheBackendDefersOnceThenIsRefusedAndTheOthersAreDeliveredOnce() throws Exception {
        sendAndExpect250("dave@example.test", "Subject: dave verified\r\n\r\nHello.\r\n");
        sendAndExpect250("frank@example.test", "Subject: frank verified\r\n\r\nHello.\r\n");
        backend.mailboxes(List.of("bob@example.test", "carol@example.test", "frank@example.test"));
        int frankBefore = awaitMessages("frank@example.test", 1).size();

        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("frank@example.test").code()).isEqualTo(250);
            assertThat(client.rcptTo("dave@example.test").code()).as("cached as valid").isEqualTo(250);
            assertThat(client.data("Subject: stale\r\n\r\nHello.\r\n").asString()).startsWith("451 4.1.1");
            client.quit();
        }
        assertThat(james.log()).contains("recipient=<dave@example.test> outcome=STALE");
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("frank@example.test").code()).isEqualTo(250);
            assertThat(client.rcptTo("dave@example.test").asString()).startsWith("550 5.1.1");
            assertThat(client.data("Subject: stale\r\n\r\nHello.\r\n").code()).isEqualTo(250);
            client.quit();
        }
        assertThat(awaitMessages("frank@example.test", frankBefore + 1)).filteredOn(text -> text.contains("Subject: stale"))
            .hasSize(1);
        assertThat(backend.messages("dave@example.test")).hasSize(1);
    }

    @Test
    @Order(7)
    void twoBackendsAndAHostedDomainMakeOneRoutePerTransaction() throws Exception {
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("bob@example.test").code()).isEqualTo(250);
            assertThat(client.rcptTo("erin@other.test").asString()).startsWith("452 4.5.3");
            assertThat(client.rcptTo("alice@example.com").asString()).startsWith("452 4.5.3");
            assertThat(client.rcptTo("carol@example.test").code()).isEqualTo(250);
            assertThat(client.data("Subject: routes\r\n\r\nHello.\r\n").code()).isEqualTo(250);
            assertThat(client.mailFrom(SENDER).code()).isEqualTo(250);
            assertThat(client.rcptTo("erin@other.test").code()).isEqualTo(250);
            assertThat(client.rcptTo("bob@example.test").asString()).startsWith("452 4.5.3");
            assertThat(client.data("Subject: routes\r\n\r\nHello.\r\n").code()).isEqualTo(250);
            client.quit();
        }
        assertThat(awaitMessages("erin@other.test", 1)).hasSize(1).allMatch(text -> text.contains("Subject: routes"));
        assertThat(awaitMessages("bob@example.test", 4)).filteredOn(text -> text.contains("Subject: routes")).hasSize(1);
    }

    @Test
    @Order(8)
    void aDkimSignedMessageStillVerifiesAsTheBackendDeliveredIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String unsigned = "From: sender@sender.example\r\nTo: carol@example.test\r\nSubject: signed\r\n"
            + "Date: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <signed@sender.example>\r\n\r\n"
            + "A signed body.\r\n.A dot line, stuffed on the wire.\r\n\r\n";
        String signature = new DKIMSigner("v=1; a=rsa-sha256; c=simple/simple; d=sender.example; s=test; "
            + "h=from:to:subject:date:message-id; bh=; b=;", keys.getPrivate())
            .sign(new ByteArrayInputStream(unsigned.getBytes(StandardCharsets.US_ASCII)));
        String signed = signature + "\r\n" + unsigned;
        int before = backend.messages("carol@example.test").size();
        sendAndExpect250("carol@example.test", signed);

        String delivered = awaitMessages("carol@example.test", before + 1).stream()
            .filter(text -> text.contains("Subject: signed")).findFirst().orElseThrow();
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        List<SignatureRecord> verified = new DKIMVerifier((method, selector, domain) -> List.of(record))
            .verify(new ByteArrayInputStream(delivered.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII)));
        assertThat(verified).hasSize(1);
        assertThat(verified.get(0).getDToken()).hasToString("sender.example");
    }

    /** Last: it stops James. */
    @Test
    @Order(99)
    void aMessageWhoseTransferJamesDoesNotCompleteIsNeitherAcceptedNorDelivered() throws Exception {
        int before = backend.messages("bob@example.test").size();
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("bob@example.test").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.send("Subject: killed mid-transfer");
            client.send("");
            client.send("The first half.");
            james.close();
            james = null;
            assertThat(client.awaitServerClose(Duration.ofSeconds(30))).as("James closed the session without a reply").isTrue();
        }
        Thread.sleep(2_000);
        assertThat(backend.messages("bob@example.test")).hasSize(before);
        assertThat(backend.queue()).contains("Mail queue is empty");
    }

    private SmtpClient open() throws Exception {
        SmtpClient client = james.smtpFrom(CLIENT);
        client.ehlo("client.example");
        assertThat(client.mailFrom(SENDER).code()).isEqualTo(250);
        return client;
    }

    private void sendAndExpect250(String recipient, String message) throws Exception {
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo(recipient).code()).isEqualTo(250);
            assertThat(client.data(message).asString()).startsWith("250 2.0.0 Delivered");
            client.quit();
        }
    }

    private List<String> awaitMessages(String mailbox, int count) throws Exception {
        PostfixBackend owner = mailbox.endsWith("@other.test") ? other : backend;
        Instant deadline = Instant.now().plusSeconds(30);
        while (owner.messages(mailbox).size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        List<Path> files = owner.messages(mailbox);
        assertThat(files).as("messages of %s", mailbox).hasSizeGreaterThanOrEqualTo(count);
        List<String> texts = new java.util.ArrayList<>();
        for (Path file : files) {
            texts.add(Files.readString(file, StandardCharsets.ISO_8859_1));
        }
        return texts;
    }

    private void assertNothingQueuedByJames() {
        assertNothingQueuedBy(james);
    }

    /** James's spool and its error repositories are empty: what it accepted in-line, it did not keep. */
    static void assertNothingQueuedBy(JamesServerProcess james) {
        assertThat(james.webAdmin().get("/mailQueues/spool/mails").body()).isEqualTo("[]");
        for (String repository : List.of("memory://var/mail/error/", "memory://var/mail/relay-denied/",
            "memory://var/mail/address-error/")) {
            HttpResponse<String> mails = james.webAdmin().get("/mailRepositories/"
                + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "/mails");
            assertThat(mails.statusCode() == 404 || mails.body().equals("[]")).as("%s: %s", repository, mails.body()).isTrue();
        }
    }

    private double metric(String sample) {
        return james.webAdmin().metric(sample);
    }
}
