package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rcptguard.it.RcptGuardSmtpTest.Mailboxes;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.it.RcptGuardSmtpTest.Users;
import org.rcptguard.launcher.Dnsmasq;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;

/**
 * Postgrey's whitelist files, as an administrator moving from Postfix + postgrey keeps them, read by a real James:
 * a client listed by network, a client whose forward-confirmed reverse name is listed (by name or {@code /regex/}) and
 * a listed recipient are not greylisted; everyone else still is. James's {@code dnsservice.xml} points at a real DNS
 * server (dnsmasq) serving the test clients' PTR and A records, as Postfix's {@code client_name} would be verified.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgreyWhitelistSmtpTest {
    /** The look-up's bound (identity.dns.timeout, 2 s) and the time a deferral takes on a loaded machine. */
    private static final Duration BOUNDED = Duration.ofMillis(3500);

    private TestZone zone;
    private Path files;
    private Dnsmasq dnsmasq;
    private JamesServerProcess james;

    @BeforeAll
    void startJames() throws Exception {
        // The silent server never answers: dnsmasq forwards the reverse zone of 127.0.67.x to it and waits.
        zone = TestZone.start("postgrey-whitelists", silent -> List.of(
            // A host record gives the A and the PTR record: a forward-confirmed name.
            "--host-record=mx7.gmail.com,127.0.64.2",
            "--host-record=mail12.example.net,127.0.65.2",
            "--host-record=relay.partner.example,127.0.68.2",
            "--host-record=mta.unlisted.example,127.0.69.2",
            // A PTR name that resolves to another address: anyone can write any PTR record for their own addresses.
            "--ptr-record=2.66.0.127.in-addr.arpa,mx9.gmail.com",
            "--host-record=mx9.gmail.com,127.0.99.9",
            "--server=/67.0.127.in-addr.arpa/" + silent));
        dnsmasq = zone.dnsmasq();
        files = zone.directory();
        Path clients = Files.writeString(files.resolve("whitelist_clients"),
            "# as Debian ships it: names, /regex/, addresses, networks\n"
                + "gmail.com\n"
                + "/^mail\\d+\\.example\\.net$/\n"
                + "127.0.61.0/24\n"
                + "not an entry\n"
                + "relay.partner.example\n");
        Path recipients = Files.writeString(files.resolve("whitelist_recipients"), "postmaster@\nbob@example.com\n");
        james = JamesServerProcess.builder()
            .confDir(zone.conf())
            .rcptguardProperties(Map.of(
                "greylist.delay", "2s",
                "whitelist.postgrey.clients", clients.toString(),
                "whitelist.postgrey.recipients", recipients.toString()))
            .start();
        Users.create(james.webAdmin());
    }

    @AfterAll
    void stopJames() throws Exception {
        if (james != null) {
            james.close();
        }
        if (zone != null) {
            zone.close();
        }
    }

    @Test
    void aClientListedByNetworkIsDeliveredAtFirstContact() throws Exception {
        long before = james.webAdmin().inboxCount("alice@example.com");

        try (SmtpClient client = Smtp.open(james, "127.0.61.5", "<someone@sender.example>")) {
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            assertThat(client.data(Smtp.message("listed by network")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(james, "alice@example.com", before + 1);
    }

    @Test
    void aListedRecipientIsNotGreylistedForAnUnlistedClient() throws Exception {
        assertThat(Smtp.transaction(james, "127.0.62.5", "<someone@sender.example>", "bob@example.com").get(0).code())
            .isEqualTo(250);
        assertThat(Smtp.transaction(james, "127.0.62.6", "<someone@sender.example>", "postmaster@example.com").get(0).code())
            .as("postmaster@ in any domain").isEqualTo(250);
    }

    @Test
    void anUnlistedClientIsStillDeferred() throws Exception {
        assertThat(Smtp.transaction(james, "127.0.63.5", "<someone@sender.example>", "alice@example.com").get(0).asString())
            .isEqualTo(RcptGuardSmtpTest.DEFERRAL);
    }

    @Test
    void theMalformedLineIsLoggedWithItsNumberAndTheRestKept() {
        assertThat(james.log()).contains("RcptGuard left out a malformed line of a postgrey whitelist: "
            + files.resolve("whitelist_clients") + " line 5: ");
    }

    /** Listed as postgrey lists big senders: by a name and its subdomains, by a /regex/, by the name itself. */
    @ParameterizedTest
    @CsvSource({
        "127.0.64.2, a subdomain of gmail.com",
        "127.0.65.2, the /regex/",
        "127.0.68.2, the name itself"})
    void aClientWhoseForwardConfirmedNameIsListedIsDeliveredAtFirstContact(String source, String listedBy) throws Exception {
        long before = james.webAdmin().inboxCount("alice@example.com");

        try (SmtpClient client = Smtp.open(james, source, "<someone@sender.example>")) {
            assertThat(client.rcptTo("alice@example.com").code()).as(listedBy).isEqualTo(250);
            assertThat(client.data(Smtp.message("listed by name")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(james, "alice@example.com", before + 1);
        assertThat(james.log().lines().filter(line -> line.contains("client=" + source + " "))
            .filter(line -> line.contains("recipient=<alice@example.com>")))
            .anySatisfy(line -> assertThat(line).endsWith("reason=WHITELISTED_CLIENT"));
        assertThat(james.log()).doesNotContain("does not match the client names");
    }

    @Test
    void aReverseNameThatDoesNotConfirmIsNoNameAndTheClientIsDeferredAsUnlisted() throws Exception {
        assertThat(timedRcpt("127.0.66.2").asString()).isEqualTo(RcptGuardSmtpTest.DEFERRAL);
        assertThat(dnsmasq.queries()).as("its PTR name was looked up forward, and found elsewhere")
            .anySatisfy(query -> assertThat(query).startsWith("query[A] mx9.gmail.com"));
    }

    /** The name depends on the client address alone: one PTR and one A query for a connection of three transactions. */
    @Test
    void theNameCostsOnePtrAndOneAQueryPerConnection() throws Exception {
        try (SmtpClient client = Smtp.open(james, "127.0.69.2", "<someone@sender.example>")) {
            for (int transaction = 0; transaction < 3; transaction++) {
                if (transaction > 0) {
                    assertThat(client.rset().code()).isEqualTo(250);
                    assertThat(client.mailFrom("<someone@sender.example>").code()).isEqualTo(250);
                }
                assertThat(client.rcptTo("alice@example.com").asString()).isEqualTo(RcptGuardSmtpTest.DEFERRAL);
                assertThat(client.rcptTo("nobody@example.com").asString()).isEqualTo(RcptGuardSmtpTest.DEFERRAL);
            }
        }

        assertThat(dnsmasq.queries().stream().filter(query -> query.startsWith("query[PTR] 2.69.0.127.in-addr.arpa"))).hasSize(1);
        assertThat(dnsmasq.queries().stream().filter(query -> query.startsWith("query[A] mta.unlisted.example"))).hasSize(1);
    }

    /**
     * The client's reverse zone is served by a DNS server that never answers: the RCPT is answered within the bound,
     * with the deferral every unlisted client gets (no name: never a 5xx, never an acceptance).
     */
    @Test
    void aDnsServerThatDoesNotAnswerIsNoNameWithinTheBound() throws Exception {
        assertThat(timedRcpt("127.0.67.2").asString()).isEqualTo(RcptGuardSmtpTest.DEFERRAL);
    }

    /**
     * One RCPT to a valid recipient, answered within the look-up's bound (the name is awaited at the first RCPT, so
     * the RCPT alone is timed: connecting on a loaded machine says nothing about it), never with a 5xx.
     */
    private Reply timedRcpt(String source) throws IOException {
        try (SmtpClient client = Smtp.open(james, source, "<someone@sender.example>")) {
            long start = System.nanoTime();
            Reply reply = client.rcptTo("alice@example.com");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("RCPT reply to %s", source).isLessThan(BOUNDED);
            assertThat(reply.code() / 100).as(reply.asString()).isNotEqualTo(5);
            return reply;
        }
    }

    @Test
    void aMissingFileStopsJamesNamingTheKeyAndThePath() {
        Path missing = files.resolve("no_such_file");

        JamesServerProcess.FailedStart failed = JamesServerProcess.startExpectingFailure(JamesServerProcess.projectConfDir(),
            Map.of("whitelist.postgrey.clients", missing.toString()));

        assertThat(failed.log()).contains("Invalid RcptGuard setting whitelist.postgrey.clients=" + missing + ": cannot read the file");
    }
}
