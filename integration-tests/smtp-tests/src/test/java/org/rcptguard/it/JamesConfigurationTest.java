package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;
import org.rcptguard.launcher.WebAdminClient;

/**
 * The repository's James configuration and this harness, without RcptGuard (stock James 3.8.1 with conf/ minus
 * the RcptGuard handlers and module): what RcptGuard builds on.
 */
class JamesConfigurationTest {
    private static final String MESSAGE = "From: someone@sender.example\r\nTo: x\r\nSubject: test\r\n\r\nHello.\r\n.leading dot\r\n";

    private static JamesServerProcess james;
    private static WebAdminClient webAdmin;

    @BeforeAll
    static void startStockJames() {
        james = JamesServerProcess.builder().withoutRcptGuard().ipv6Loopback().start();
        webAdmin = james.webAdmin();
        webAdmin.addDomain("example.com");
        webAdmin.addUser("alice@example.com", "secret");
        webAdmin.addUser("postmaster@example.com", "secret");
    }

    @AfterAll
    static void stopJames() {
        if (james != null) {
            james.stop();
        }
    }

    @Test
    void loopbackClientIsNotAllowedToRelay() throws Exception {
        try (SmtpClient smtp = james.smtpFrom("127.0.0.1")) {
            assertThat(smtp.ehlo("client.example").code()).isEqualTo(250);
            assertThat(smtp.mailFrom("<someone@sender.example>").code()).isEqualTo(250);
            Reply relay = smtp.rcptTo("someone@elsewhere.example");
            // AUTH is announced, so James's relay check answers 530 rather than "550 relaying denied"
            assertThat(relay.code()).as(relay.toString()).isEqualTo(530);
            assertThat(relay.enhancedStatus()).isEqualTo("5.7.1");
        }
    }

    @Test
    void unknownLocalUserIsRejectedByValidRcptHandler() throws Exception {
        try (SmtpClient smtp = james.smtpFrom(null)) {
            smtp.ehlo("client.example");
            smtp.mailFrom("<someone@sender.example>");
            Reply unknown = smtp.rcptTo("nobody@example.com");
            assertThat(unknown.code()).as(unknown.toString()).isEqualTo(550);
            assertThat(unknown.asString()).isEqualTo("550 5.1.1 Unknown user: nobody@example.com\r\n");
        }
    }

    @Test
    void authPlainWithoutTlsMakesTheClientTrusted() throws Exception {
        try (SmtpClient smtp = james.smtpFrom(null)) {
            Reply ehlo = smtp.ehlo("client.example");
            assertThat(ehlo.lines()).contains("250-AUTH LOGIN PLAIN");
            Reply auth = smtp.authPlain("alice@example.com", "secret");
            assertThat(auth.code()).as(auth.toString()).isEqualTo(235);
            smtp.mailFrom("<alice@example.com>");
            assertThat(smtp.rcptTo("someone@elsewhere.example").code()).isEqualTo(250);
            assertThat(smtp.rset().code()).isEqualTo(250);
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        try (SmtpClient smtp = james.smtpFrom(null)) {
            smtp.ehlo("client.example");
            assertThat(smtp.authPlain("alice@example.com", "wrong").code()).isEqualTo(535);
        }
    }

    @Test
    void deliversToALocalUser() throws Exception {
        webAdmin.addUser("carol@example.com", "secret");
        try (SmtpClient smtp = james.smtpFrom("127.0.0.1")) {
            smtp.ehlo("client.example");
            smtp.mailFrom("<someone@sender.example>");
            assertThat(smtp.rcptTo("carol@example.com").code()).isEqualTo(250);
            Reply queued = smtp.data(MESSAGE);
            assertThat(queued.code()).as(queued.toString()).isEqualTo(250);
            smtp.quit();
        }
        awaitCount(() -> webAdmin.inboxCount("carol@example.com"), 1);
    }

    @Test
    void abuseOfALocalDomainGoesToThePostmaster() throws Exception {
        // An alias makes James's ValidRcptHandler accept abuse@; pointing it at dave shows that the root-processor
        // mailet, not the recipient rewrite table, routes the mail: it lands at the postmaster, not at dave.
        webAdmin.addUser("dave@example.com", "secret");
        webAdmin.addAlias("abuse@example.com", "dave@example.com");
        long before = webAdmin.inboxCount("postmaster@example.com");
        try (SmtpClient smtp = james.smtpFrom(null)) {
            smtp.ehlo("client.example");
            smtp.mailFrom("<complaints@no-such-domain.invalid>");
            assertThat(smtp.rcptTo("abuse@example.com").code()).isEqualTo(250);
            assertThat(smtp.data(MESSAGE).code()).isEqualTo(250);
        }
        awaitCount(() -> webAdmin.inboxCount("postmaster@example.com"), before + 1);
        assertThat(webAdmin.inboxCount("dave@example.com")).isZero();
    }

    @Test
    void clientCanChooseItsSourceAddress() throws Exception {
        try (SmtpClient smtp = james.smtpFrom("127.0.1.2")) {
            Reply ehlo = smtp.ehlo("client.example");
            assertThat(ehlo.lines().get(0)).isEqualTo("250-mx.example.com Hello client.example [127.0.1.2])");
        }
    }

    @Test
    void listensOnIpv6LoopbackWhenAsked() throws Exception {
        try (SmtpClient smtp = new SmtpClient()) {
            assertThat(smtp.connect("::1", james.smtpPort(), "::1").code()).isEqualTo(220);
            Reply ehlo = smtp.ehlo("v6.example");
            assertThat(ehlo.lines().get(0)).isEqualTo("250-mx.example.com Hello v6.example [0:0:0:0:0:0:0:1])");
        }
    }

    @Test
    void multiLineRepliesAreReadWhole() throws Exception {
        try (SmtpClient smtp = james.smtpFrom(null)) {
            Reply ehlo = smtp.ehlo("client.example");
            assertThat(ehlo.lines().size()).isGreaterThan(1);
            assertThat(ehlo.asString()).endsWith("\r\n").contains("250 ");
            assertThat(smtp.noop().code()).isEqualTo(250);
        }
    }

    @Test
    void anIpv6LiteralInBindStopsJames(@TempDir Path temp) throws IOException {
        Path conf = copyOfProjectConf(temp);
        Path smtpserver = conf.resolve("smtpserver.xml");
        Files.writeString(smtpserver, Files.readString(smtpserver)
            .replace("<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:2525, [::1]:2525</bind>"));

        JamesServerProcess.FailedStart failed = JamesServerProcess.builder()
            .confDir(conf).withoutRcptGuard().startExpectingFailure();

        assertThat(failed.exitCode()).as(failed.toString()).isNotZero();
        assertThat(failed.log()).as(failed.toString()).contains("NumberFormatException");
    }

    @Test
    void settingPropertiesReplacesEarlierDefinitions(@TempDir Path temp) throws IOException {
        Path file = temp.resolve("rcptguard.properties");
        Files.writeString(file, "# comment\ngreylist.delay = 5m\nscan.threshold=10\nwhitelist.clients=192.0.2.1,\\\n  192.0.2.2\nkeep=me\n");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("greylist.delay", "10s");
        settings.put("whitelist.clients", "198.51.100.0/24");
        JamesServerProcess.setProperties(file, settings);

        assertThat(Files.readString(file)).isEqualTo("# comment\nscan.threshold=10\nkeep=me\n"
            + "# set by JamesServerProcess\ngreylist.delay=10s\nwhitelist.clients=198.51.100.0/24\n");
    }

    private static Path copyOfProjectConf(Path temp) throws IOException {
        Path source = JamesServerProcess.projectConfDir();
        Path target = temp.resolve("conf");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }

    private static void awaitCount(LongSupplier count, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (count.getAsLong() < expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(count.getAsLong()).isEqualTo(expected);
    }
}
