package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.RcptGuardSmtpTest.DEFERRAL;
import static org.rcptguard.it.RcptGuardSmtpTest.waitForTheDelay;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.it.RcptGuardSmtpTest.Mailboxes;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.it.RcptGuardSmtpTest.Users;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.SmtpClient;

/** Reject mode {@code data} with the {@code same-class} mixed-recipient rule, in a real James. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RcptGuardDataModeTest {
    private JamesServerProcess james;

    @BeforeAll
    void startJames() {
        james = JamesServerProcess.start(JamesServerProcess.projectConfDir(), Map.of(
            "greylist.delay", "2s",
            "greylist.retry.window", "1m",
            "reject.mode", "data",
            "mixed.mode", "same-class"));
        Users.create(james.webAdmin());
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void anAllUnknownTransactionIsRejectedAfterTheBodyAndNothingIsQueuedOrBounced() throws Exception {
        String sender = "<scanner@sender.example>";
        Smtp.transaction(james, "127.0.1.2", sender, "ghost1@example.com", "ghost2@example.com");
        waitForTheDelay();
        long postmasterBefore = james.webAdmin().inboxCount("postmaster@example.com");

        try (SmtpClient client = Smtp.open(james, "127.0.1.2", sender)) {
            assertThat(client.rcptTo("ghost1@example.com").code()).isEqualTo(250);
            assertThat(client.rcptTo("ghost2@example.com").code()).isEqualTo(250);
            assertThat(client.data(Smtp.message("probe")).asString()).startsWith("550 5.1.1");
        }

        Thread.sleep(Duration.ofSeconds(2).toMillis());
        assertThat(james.webAdmin().get("/mailQueues/spool/mails").body()).isEqualTo("[]");
        HttpResponse<String> errors = james.webAdmin().get("/mailRepositories/"
            + URLEncoder.encode("memory://var/mail/error/", StandardCharsets.UTF_8) + "/mails");
        assertThat(errors.statusCode() == 404 || errors.body().equals("[]")).as("error repository: %s", errors.body()).isTrue();
        assertThat(james.webAdmin().inboxCount("postmaster@example.com")).as("no bounce").isEqualTo(postmasterBefore);
    }

    @Test
    void sameClassDefersOnlyTheOtherClassAndDeliversTheRest() throws Exception {
        String sender = "<mixed@sender.example>";
        long aliceBefore = james.webAdmin().inboxCount("alice@example.com");
        long bobBefore = james.webAdmin().inboxCount("bob@example.com");
        Smtp.transaction(james, "127.0.2.2", sender, "alice@example.com", "ghost@example.com", "bob@example.com");
        waitForTheDelay();

        try (SmtpClient client = Smtp.open(james, "127.0.2.2", sender)) {
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            assertThat(client.rcptTo("ghost@example.com").asString()).isEqualTo(DEFERRAL);
            assertThat(client.rcptTo("bob@example.com").code()).isEqualTo(250);
            assertThat(client.data(Smtp.message("same class")).code()).isEqualTo(250);
        }

        Mailboxes.awaitCount(james, "alice@example.com", aliceBefore + 1);
        Mailboxes.awaitCount(james, "bob@example.com", bobBefore + 1);
    }
}
