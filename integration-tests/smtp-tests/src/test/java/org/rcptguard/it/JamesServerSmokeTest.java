package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;

/** James with the repository's conf/ and the RcptGuard extension jar boots and speaks SMTP. */
class JamesServerSmokeTest {
    private static JamesServerProcess james;

    @BeforeAll
    static void startJames() {
        james = JamesServerProcess.start(JamesServerProcess.projectConfDir(), Map.of());
    }

    @AfterAll
    static void stopJames() {
        if (james != null) {
            james.stop();
        }
    }

    @Test
    void greetsAndAnswersEhloFromLoopback() throws Exception {
        try (SmtpClient smtp = new SmtpClient()) {
            Reply greeting = smtp.connect("127.0.0.1", james.smtpPort(), "127.0.0.1");
            assertThat(greeting.code()).as(greeting.toString()).isEqualTo(220);

            Reply ehlo = smtp.ehlo("client.example");
            assertThat(ehlo.code()).as(ehlo.toString()).isEqualTo(250);
            assertThat(ehlo.lines().get(0)).startsWith("250-mx.example.com");
            assertThat(ehlo.text()).contains("PIPELINING", "ENHANCEDSTATUSCODES");

            assertThat(smtp.quit().code()).isEqualTo(221);
        }
    }

    /**
     * Only RcptGuard defers a first contact: stock James with this configuration answers 550 for the unknown
     * alice@example.com (its ValidRcptHandler), and 250 for a known user.
     */
    @Test
    void loadsTheRcptGuardModule() throws Exception {
        assertThat(james.log()).doesNotContain("ClassNotFoundException");
        try (SmtpClient smtp = new SmtpClient()) {
            smtp.connect("127.0.0.1", james.smtpPort(), "127.0.0.1");
            smtp.ehlo("client.example");
            smtp.mailFrom("<first.contact@sender.example>");

            Reply rcpt = smtp.rcptTo("alice@example.com");

            assertThat(rcpt.code()).as(rcpt.toString()).isEqualTo(451);
            assertThat(rcpt.enhancedStatus()).isEqualTo("4.7.1");
        }
    }
}
