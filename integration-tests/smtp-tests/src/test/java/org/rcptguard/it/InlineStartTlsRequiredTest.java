package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.PostfixBackend;
import org.rcptguard.launcher.SmtpClient;

/**
 * {@code directory.inline.starttls=required} against real Postfix backends: clear.test's backend does not offer
 * STARTTLS, tls.test's does. The message is never relayed in clear: the client hears 451 4.4.0 and retries later,
 * nothing reached the backend beyond EHLO and QUIT, and James kept nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InlineStartTlsRequiredTest {
    private static final String CLIENT = "127.0.61.3";
    private static final String SENDER = "<sender@sender.example>";

    private PostfixBackend clear;
    private PostfixBackend tls;
    private JamesServerProcess james;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PostfixBackend.installed(), "needs root and /usr/sbin/postfix");
        clear = PostfixBackend.start("127.0.0.1", List.of("clear.test"), List.of("bob@clear.test"));
        clear.postconf("smtpd_tls_security_level = none");
        tls = PostfixBackend.start("127.0.0.1", List.of("tls.test"), List.of("carol@tls.test"));
        james = JamesServerProcess.builder()
            .rcptguardProperties(Map.ofEntries(
                Map.entry("whitelist.clients", "127.0.61.0/24"),
                Map.entry("directory.domains", "clear.test,tls.test"),
                Map.entry("directory.clear.test.sources", "smtp"),
                Map.entry("directory.clear.test.smtp.host", clear.hostPort()),
                Map.entry("directory.clear.test.delivery", "inline"),
                Map.entry("directory.tls.test.sources", "smtp"),
                Map.entry("directory.tls.test.smtp.host", tls.hostPort()),
                Map.entry("directory.tls.test.delivery", "inline"),
                Map.entry("directory.timeout", "3s"),
                Map.entry("directory.inline.connect.timeout", "2s"),
                Map.entry("directory.inline.command.timeout", "3s"),
                Map.entry("directory.inline.data.timeout", "10s"),
                Map.entry("directory.inline.starttls", "required")))
            .startTimeout(Duration.ofMinutes(5))
            .start();
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
        if (clear != null) {
            clear.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void aBackendWithoutStartTlsGetsNothingInClearAndTheClientIsDeferred() throws Exception {
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("bob@clear.test").code()).as("verified against the backend").isEqualTo(250);
            assertThat(client.data("Subject: secret\r\n\r\nNot in clear.\r\n").asString())
                .startsWith("451 4.4.0");
            client.quit();
        }
        Thread.sleep(1_000);
        assertThat(clear.messages("bob@clear.test")).isEmpty();
        assertThat(clear.queue()).contains("Mail queue is empty");
        // The relay's session: EHLO, no STARTTLS offered, QUIT; neither MAIL nor the message went out in clear.
        assertThat(clear.log()).contains("ehlo=1 quit=1 commands=2").doesNotContain("ehlo=1 mail=1 rcpt=1 data=1");
        assertThat(james.log()).contains("stage=inline backend=" + clear.hostPort() + " recipients=1 outcome=DEFERRED");
        assertThat(james.webAdmin().metric("rcptguard_inline_outcome_DEFERRED_total")).isGreaterThanOrEqualTo(1);
        InlineDeliveryTest.assertNothingQueuedBy(james);
    }

    @Test
    void aBackendOfferingStartTlsGetsTheMessageOverTls() throws Exception {
        try (SmtpClient client = open()) {
            assertThat(client.rcptTo("carol@tls.test").code()).isEqualTo(250);
            assertThat(client.data("Subject: over tls\r\n\r\nHello.\r\n").asString()).startsWith("250 2.0.0 Delivered");
            client.quit();
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (tls.messages("carol@tls.test").isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(tls.messages("carol@tls.test")).hasSize(1);
        assertThat(Files.readString(tls.messages("carol@tls.test").get(0), StandardCharsets.ISO_8859_1))
            .contains("Subject: over tls").contains("by backend.test (Postfix) with ESMTPS");
        InlineDeliveryTest.assertNothingQueuedBy(james);
    }

    private SmtpClient open() throws Exception {
        SmtpClient client = james.smtpFrom(CLIENT);
        client.ehlo("client.example");
        assertThat(client.mailFrom(SENDER).code()).isEqualTo(250);
        return client;
    }
}
