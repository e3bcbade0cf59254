package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;
import org.rcptguard.launcher.WebAdminClient;

/**
 * RcptGuard in a real James 3.8.1, loaded from extensions-jars/ with the project's conf/, driven over sockets from
 * loopback addresses in distinct /24 networks (one network per test, so tests do not share greylisting state).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RcptGuardSmtpTest {
    static final Duration DELAY = Duration.ofSeconds(2);
    /** The one deferral, byte for byte. */
    static final String DEFERRAL = "451 4.7.1 Please try again later\r\n";

    private JamesServerProcess james;

    @BeforeAll
    void startJames() {
        james = JamesServerProcess.builder()
            .confDir(JamesServerProcess.projectConfDir())
            .rcptguardProperties(Map.of(
                "greylist.delay", "2s",
                "greylist.retry.window", "8s",
                "scan.threshold", "3",
                "scan.penalty.factor", "2",
                "autowhitelist.passes", "3",
                "whitelist.clients", "127.0.9.0/24"))
            .ipv6Loopback()
            .start();
        Users.create(james.webAdmin());
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    static void waitForTheDelay() throws InterruptedException {
        sleep(DELAY.plusMillis(300));
    }

    @Test
    void firstContactGetsByteIdenticalDeferralsForValidAndUnknownRecipients() throws Exception {
        List<Reply> replies = Smtp.transaction(james, "127.0.1.2", "<someone@sender.example>",
            "alice@example.com", "nobody@example.com");

        assertThat(replies.get(0).asString()).isEqualTo(DEFERRAL);
        assertThat(replies.get(0).bytes()).isEqualTo(replies.get(1).bytes());
    }

    @Test
    void aRetryAfterTheDelayIsDeliveredAndAnUnknownUserRejected() throws Exception {
        long before = james.webAdmin().inboxCount("alice@example.com");
        Smtp.transaction(james, "127.0.2.2", "<someone@sender.example>", "alice@example.com");
        Smtp.transaction(james, "127.0.2.2", "<someone@sender.example>", "nobody@example.com");
        waitForTheDelay();

        try (SmtpClient client = Smtp.open(james, "127.0.2.2", "<someone@sender.example>")) {
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            assertThat(client.data(Smtp.message("retry after the delay")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(james, "alice@example.com", before + 1);
        assertThat(Smtp.transaction(james, "127.0.2.2", "<someone@sender.example>", "nobody@example.com").get(0).asString())
            .startsWith("550 5.1.1");
    }

    @Test
    void anEarlyRetryIsStillDeferredAndARetryAfterTheWindowStartsOver() throws Exception {
        String sender = "<early@sender.example>";
        Smtp.transaction(james, "127.0.2.3", sender, "bob@example.com");
        assertThat(Smtp.transaction(james, "127.0.2.3", sender, "bob@example.com").get(0).asString()).isEqualTo(DEFERRAL);

        sleep(Duration.ofSeconds(9));

        assertThat(Smtp.transaction(james, "127.0.2.3", sender, "bob@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        waitForTheDelay();
        assertThat(Smtp.transaction(james, "127.0.2.3", sender, "bob@example.com").get(0).code()).isEqualTo(250);
    }

    @Test
    void aScanIsPenalisedThePenaltyGrowsAndOtherNetworksAreUnaffected() throws Exception {
        String sender = "<scanner@sender.example>";
        Smtp.transaction(james, "127.0.3.2", sender, "alice@example.com");
        Smtp.transaction(james, "127.0.4.2", sender, "alice@example.com");
        waitForTheDelay();
        assertThat(Smtp.transaction(james, "127.0.3.2", sender, "alice@example.com").get(0).code()).isEqualTo(250);

        // 4 distinct unknown recipients > threshold 3: level 1, deferred for 2s x 2 = 4s.
        Smtp.transaction(james, "127.0.3.2", sender, "u1@example.com", "u2@example.com", "u3@example.com", "u4@example.com");
        StoreSmtp.awaitPenalised(james, "127.0.3.2");

        assertThat(Smtp.transaction(james, "127.0.3.2", sender, "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        assertThat(Smtp.transaction(james, "127.0.3.9", sender, "alice@example.com").get(0).asString())
            .as("another address of the same /24").isEqualTo(DEFERRAL);
        assertThat(Smtp.transaction(james, "127.0.4.2", sender, "alice@example.com").get(0).code())
            .as("another network").isEqualTo(250);

        sleep(Duration.ofMillis(4500));
        assertThat(Smtp.transaction(james, "127.0.3.2", sender, "alice@example.com").get(0).code()).isEqualTo(250);

        // Two more distinct unknown recipients: level 3, 2s x 2^3 = 16s; the same 4.5 s no longer suffices.
        Smtp.transaction(james, "127.0.3.2", sender, "u5@example.com", "u6@example.com");
        sleep(Duration.ofMillis(4500));
        assertThat(Smtp.transaction(james, "127.0.3.2", sender, "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
    }

    @Test
    void aMixedTransactionDefersFromTheFirstChangeAndDeliversToTheFirstRecipientOnly() throws Exception {
        String sender = "<mixed@sender.example>";
        long aliceBefore = james.webAdmin().inboxCount("alice@example.com");
        long bobBefore = james.webAdmin().inboxCount("bob@example.com");
        Smtp.transaction(james, "127.0.5.2", sender, "alice@example.com", "nobody@example.com", "bob@example.com");
        waitForTheDelay();

        try (SmtpClient client = Smtp.open(james, "127.0.5.2", sender)) {
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            assertThat(client.rcptTo("nobody@example.com").asString()).isEqualTo(DEFERRAL);
            assertThat(client.rcptTo("bob@example.com").asString()).isEqualTo(DEFERRAL);
            assertThat(client.data(Smtp.message("mixed")).code()).isEqualTo(250);
        }

        Mailboxes.awaitCount(james, "alice@example.com", aliceBefore + 1);
        sleep(Duration.ofSeconds(1));
        assertThat(james.webAdmin().inboxCount("bob@example.com")).isEqualTo(bobBefore);
    }

    @Test
    void whitelistedAndAutoWhitelistedClientsAreNotDelayed() throws Exception {
        assertThat(Smtp.transaction(james, "127.0.9.2", "<any@sender.example>", "alice@example.com").get(0).code())
            .isEqualTo(250);

        for (String recipient : List.of("alice@example.com", "bob@example.com", "postmaster@example.com")) {
            Smtp.transaction(james, "127.0.6.2", "<regular@sender.example>", recipient);
        }
        waitForTheDelay();
        for (String recipient : List.of("alice@example.com", "bob@example.com", "postmaster@example.com")) {
            assertThat(Smtp.transaction(james, "127.0.6.2", "<regular@sender.example>", recipient).get(0).code()).isEqualTo(250);
        }

        assertThat(Smtp.transaction(james, "127.0.6.7", "<new@other.example>", "alice@example.com").get(0).code())
            .as("auto-whitelisted after 3 passed triplets").isEqualTo(250);
    }

    @Test
    void anAutoWhitelistedNetworkThatScansIsPenalisedAllTheSame() throws Exception {
        String sender = "<earned@sender.example>";
        // Three passed triplets, two of them role accounts any scanner can guess, earn the auto-whitelist...
        for (String recipient : List.of("alice@example.com", "postmaster@example.com", "abuse@example.com")) {
            Smtp.transaction(james, "127.0.15.2", sender, recipient);
        }
        waitForTheDelay();
        for (String recipient : List.of("alice@example.com", "postmaster@example.com", "abuse@example.com")) {
            assertThat(Smtp.transaction(james, "127.0.15.2", sender, recipient).get(0).code()).isEqualTo(250);
        }
        assertThat(Smtp.transaction(james, "127.0.15.2", "<fresh@other.example>", "bob@example.com").get(0).code())
            .as("auto-whitelisted").isEqualTo(250);

        // ... and James answers the unknown recipients of the network, but they count: the fourth (threshold 3)
        // penalises it, and from then on it is deferred like any scanner.
        assertThat(Smtp.transaction(james, "127.0.15.2", sender, "s1@example.com", "s2@example.com", "s3@example.com",
            "s4@example.com")).allSatisfy(reply -> assertThat(reply.code()).isEqualTo(550));
        StoreSmtp.awaitPenalised(james, "127.0.15.2");
        assertThat(Smtp.transaction(james, "127.0.15.2", sender, "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
    }

    @Test
    void anAuthenticatedClientIsNotTouched() throws Exception {
        try (SmtpClient client = new SmtpClient()) {
            client.connect("127.0.0.1", james.smtpPort(), "127.0.7.2");
            client.ehlo("client.example");
            assertThat(client.authPlain("alice@example.com", "secret").code()).isEqualTo(235);
            client.mailFrom("<alice@example.com>");

            assertThat(client.rcptTo("bob@example.com").code()).isEqualTo(250);
            assertThat(client.rcptTo("nobody@example.com").asString())
                .as("James's own ValidRcptHandler still rejects unknown users").startsWith("550 5.1.1");
        }
    }

    @Test
    void theNullSenderIsGreylistedThenAccepted() throws Exception {
        assertThat(Smtp.transaction(james, "127.0.8.2", "<>", "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        waitForTheDelay();
        assertThat(Smtp.transaction(james, "127.0.8.2", "<>", "alice@example.com").get(0).code()).isEqualTo(250);
    }

    @Test
    void anIpv6ClientIsGreylistedByItsNetwork() throws Exception {
        assertThat(Smtp.transactionOverIpv6(james, "<v6@sender.example>", "alice@example.com").get(0).asString())
            .isEqualTo(DEFERRAL);
        waitForTheDelay();
        assertThat(Smtp.transactionOverIpv6(james, "<v6@sender.example>", "alice@example.com").get(0).code()).isEqualTo(250);
    }

    @Test
    void upperCaseAndPlusAddressedRecipients() throws Exception {
        String sender = "<case@sender.example>";
        long before = james.webAdmin().inboxCount("alice@example.com");
        List<Reply> first = Smtp.transaction(james, "127.0.10.2", sender, "ALICE@EXAMPLE.COM", "alice+tag@example.com");
        assertThat(first.get(0).bytes()).isEqualTo(first.get(1).bytes());
        waitForTheDelay();

        try (SmtpClient client = Smtp.open(james, "127.0.10.2", sender)) {
            assertThat(client.rcptTo("Alice@Example.com").code()).as("same triplet, whatever the case").isEqualTo(250);
            assertThat(client.data(Smtp.message("upper case")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(james, "alice@example.com", before + 1);
        // James 3.8.1 has no subaddressing: alice+tag is not a mailbox, so it must be refused, never bounced.
        assertThat(Smtp.transaction(james, "127.0.10.2", sender, "alice+tag@example.com").get(0).asString())
            .startsWith("550 5.1.1");
    }

    @Test
    void abuseIsGreylistedThenDeliveredToThePostmasterWithoutAnyAlias() throws Exception {
        String sender = "<reporter@sender.example>";
        long before = james.webAdmin().inboxCount("postmaster@example.com");
        assertThat(Smtp.transaction(james, "127.0.13.2", sender, "abuse@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        waitForTheDelay();

        try (SmtpClient client = Smtp.open(james, "127.0.13.2", sender)) {
            assertThat(client.rcptTo("abuse@example.com").code()).isEqualTo(250);
            assertThat(client.data(Smtp.message("abuse report")).code()).isEqualTo(250);
        }

        Mailboxes.awaitCount(james, "postmaster@example.com", before + 1);
    }

    /**
     * A recipient James's users repository cannot look up (a quoted local part holding '@', a valid address it refuses
     * to turn into a user name): a real failure to look up, so the greylisting deferral, then a temporary failure.
     */
    @Test
    void aRecipientLookupFailureIsATemporaryFailure() throws Exception {
        String odd = "\"odd@local\"@example.com";
        assertThat(Smtp.transaction(james, "127.0.11.2", "<someone@sender.example>", odd).get(0).asString()).isEqualTo(DEFERRAL);
        sleep(DELAY.plusMillis(300));

        Reply reply = Smtp.transaction(james, "127.0.11.2", "<someone@sender.example>", odd).get(0);

        assertThat(reply.code()).isEqualTo(451);
        assertThat(reply.enhancedStatus()).isEqualTo("4.3.0");
    }

    /**
     * A 5,000-character local part passes James's syntax check, but no mailbox can have it (longer than any SMTP
     * path): unknown, not a failure to look up. Before the triplet passed, the same deferral as any recipient; after,
     * the unknown user's 550, never a temporary failure at every attempt.
     */
    @Test
    void anAddressNoMailboxCanHaveIsUnknown() throws Exception {
        String impossible = "x".repeat(5_000) + "@example.com";
        assertThat(Smtp.transaction(james, "127.0.19.2", "<someone@sender.example>", impossible).get(0).asString())
            .isEqualTo(DEFERRAL);
        sleep(DELAY.plusMillis(300));

        Reply reply = Smtp.transaction(james, "127.0.19.2", "<someone@sender.example>", impossible).get(0);

        assertThat(reply.asString()).startsWith("550 5.1.1");
    }

    @Test
    void malformedRecipientsAreRefusedByJamesAndTheSessionGoesOn() throws Exception {
        try (SmtpClient client = Smtp.open(james, "127.0.14.2", "<someone@sender.example>")) {
            // James's own syntax checks answer before any hook: RcptGuard never sees these.
            for (String malformed : List.of("<not an address>", "<@example.com>", "alice")) {
                assertThat(client.command("RCPT TO:" + malformed).code() / 100).as(malformed).isEqualTo(5);
            }
            // A 300-character local part passes James's syntax check; no mailbox can have it, but before the triplet
            // passed it gets the same deferral as any recipient.
            assertThat(client.rcptTo("x".repeat(300) + "@example.com").asString()).isEqualTo(DEFERRAL);
            assertThat(client.rcptTo("alice@example.com").asString()).isEqualTo(DEFERRAL);
        }
        assertThat(james.isAlive()).isTrue();
    }

    @Test
    void recipientsOfOtherDomainsAreLeftToJamesAndRelayingIsDenied() throws Exception {
        Reply reply = Smtp.transaction(james, "127.0.12.2", "<someone@sender.example>", "someone@elsewhere.example").get(0);

        assertThat(reply.code() / 100).as(reply.asString()).isEqualTo(5);
        assertThat(reply.asString()).doesNotContain("4.7.1");
    }

    /** SMTP conversations as a sending MTA has them. */
    static final class Smtp {
        static SmtpClient open(JamesServerProcess james, String source, String sender) throws IOException {
            SmtpClient client = james.smtpFrom(source);
            client.ehlo("client.example");
            Reply mail = client.mailFrom(sender);
            assertThat(mail.code()).as("MAIL FROM %s", sender).isEqualTo(250);
            return client;
        }

        /** One transaction naming {@code recipients}, ended by QUIT without DATA; the RCPT replies. */
        static List<Reply> transaction(JamesServerProcess james, String source, String sender, String... recipients) throws IOException {
            try (SmtpClient client = open(james, source, sender)) {
                return rcpts(client, recipients);
            }
        }

        static List<Reply> transactionOverIpv6(JamesServerProcess james, String sender, String... recipients) throws IOException {
            try (SmtpClient client = new SmtpClient()) {
                client.connect("::1", james.smtpPort(), "::1");
                client.ehlo("client.example");
                client.mailFrom(sender);
                return rcpts(client, recipients);
            }
        }

        private static List<Reply> rcpts(SmtpClient client, String... recipients) throws IOException {
            List<Reply> replies = new ArrayList<>();
            for (String recipient : recipients) {
                replies.add(client.rcptTo(recipient));
            }
            client.quit();
            return replies;
        }

        static String message(String subject) {
            return "From: sender@sender.example\r\nTo: alice@example.com\r\nSubject: " + subject + "\r\n\r\nHello.\r\n";
        }
    }

    /** Mailbox contents, read through James's WebAdmin. */
    static final class Mailboxes {
        static void awaitCount(JamesServerProcess james, String user, long expected) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(20);
            long count = james.webAdmin().inboxCount(user);
            while (count < expected && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                count = james.webAdmin().inboxCount(user);
            }
            assertThat(count).as("messages in %s's INBOX", user).isEqualTo(expected);
        }
    }

    /** The users of the tests. */
    static final class Users {
        static void create(WebAdminClient webAdmin) {
            for (String user : List.of("alice@example.com", "bob@example.com", "postmaster@example.com")) {
                if (!webAdmin.userExists(user)) {
                    webAdmin.addUser(user, "secret");
                }
            }
        }
    }
}
