package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.directory.CallForwardSource;
import org.rcptguard.core.memory.MemoryVerificationCache;
import org.rcptguard.james.directory.SmtpCallForward;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * SMTP verification against a real backend: a stock James 3.8.1 (this repository's conf/ without RcptGuard), where
 * alice@example.com is a user and James's ValidRcptHandler refuses unknown users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallForwardBackendTest {
    private JamesServerProcess backend;

    @BeforeAll
    void start() {
        backend = JamesServerProcess.builder().confDir(JamesServerProcess.projectConfDir()).withoutRcptGuard().start();
        RcptGuardSmtpTest.Users.create(backend.webAdmin());
    }

    @AfterAll
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private SmtpCallForward verifier() {
        return new SmtpCallForward("127.0.0.1", backend.smtpPort(), "mx.test.example", Duration.ofSeconds(5));
    }

    @Test
    void aUserIsValidAndAnUnknownAddressInvalid() throws Exception {
        assertThat(verifier().classify(new MailAddress("alice@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(verifier().classify(new MailAddress("nobody@example.com"))).isEqualTo(RecipientClass.INVALID);
        assertThat(verifier().lookUp(new MailAddress("nobody@example.com")).reason()).isEqualTo("backend replied 550");
    }

    @Test
    void aRealBackendIsNotACatchAllAndItsAnswersAreCached() throws Exception {
        MemoryVerificationCache cache = new MemoryVerificationCache(Clock.systemUTC(), 1000);
        CallForwardSource source = new CallForwardSource(Domain.of("example.com"), verifier(), cache, Duration.ofHours(24), Duration.ofHours(1));

        assertThat(source.classify(new MailAddress("alice@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.classify(new MailAddress("nobody@example.com"))).isEqualTo(RecipientClass.INVALID);
        assertThat(source.catchAllDetected()).isFalse();
        long checks = source.checks();
        assertThat(source.classify(new MailAddress("alice@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.checks()).isEqualTo(checks);
        assertThat(cache.find("@example.com")).contains(RecipientClass.INVALID);
    }

    @Test
    void noBackendListeningIsAFailureNotAnAnswer() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SmtpCallForward nowhere = new SmtpCallForward("127.0.0.1", closedPort, "mx.test.example", Duration.ofSeconds(1));
        assertThatThrownBy(() -> nowhere.lookUp(new MailAddress("alice@example.com"))).isInstanceOf(java.io.IOException.class);
    }
}
