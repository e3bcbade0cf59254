package org.rcptguard.core.postgrey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rcptguard.core.postgrey.PostgreyWhitelist.Match;

class PostgreyWhitelistFileTest {
    private static final Path DEBIAN_CLIENTS = Path.of("/etc/postgrey/whitelist_clients");
    private static final Path DEBIAN_RECIPIENTS = Path.of("/etc/postgrey/whitelist_recipients");

    private final PostgreyWhitelistFile.Reading clients = PostgreyWhitelistFile.clients(resource("whitelist_clients"));
    private final PostgreyWhitelistFile.Reading recipients = PostgreyWhitelistFile.recipients(resource("whitelist_recipients"));
    private final PostgreyWhitelist whitelist = clients.whitelist().plus(recipients.whitelist());

    PostgreyWhitelistFileTest() throws Exception {
    }

    @Test
    void malformedLinesAreReportedWithTheirNumberAndTheRestKept() {
        assertThat(clients.malformed()).extracting(MalformedLine::number).containsExactly(21, 22, 23, 24);
        assertThat(clients.malformed().get(0).toString()).contains("whitelist_clients line 21").contains("two words.example");
        assertThat(clients.whitelist().size()).isEqualTo(10);
        assertThat(recipients.malformed()).extracting(MalformedLine::number).containsExactly(11, 12);
        assertThat(recipients.whitelist().size()).isEqualTo(5);
    }

    @ParameterizedTest
    @CsvSource({
        "bigsender.example",
        "MTA1.Bigsender.Example",
        "mail.partner.example",
        "mta17.out.rotating.example",
        "smtp-eu.relay.example",
    })
    void aVerifiedNameMatchesNamesAndRegularExpressions(String name) {
        assertThat(whitelist.match(address("192.0.2.99"), Optional.of(name), "alice@example.com")).contains(Match.CLIENT);
    }

    @ParameterizedTest
    @CsvSource({
        "notbigsender.example",
        "bigsender.example.net",
        "x.mail.partner.example.org",
        "mta17.out.rotating.example.net",
        "smtp-eu1.relay.example",
    })
    void namesMatchWholeLabelsOnly(String name) {
        assertThat(whitelist.match(address("192.0.2.99"), Optional.of(name), "alice@example.com")).isEmpty();
    }

    @Test
    void withoutVerifiedNameNoNameMatches() {
        assertThat(whitelist.match(address("192.0.2.99"), Optional.empty(), "alice@example.com")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.25", "198.51.100.200", "203.0.113.9", "10.20.250.1", "2001:db8:25:1::9", "2001:db8:99::7"})
    void addressesNetworksAndPartialAddressesMatchTheClientAddress(String client) {
        assertThat(whitelist.match(address(client), Optional.empty(), "alice@example.com")).contains(Match.CLIENT);
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.26", "198.51.101.1", "203.0.114.9", "10.21.0.1", "2001:db8:26::1", "2001:db8:99::8"})
    void otherAddressesDoNot(String client) {
        assertThat(whitelist.match(address(client), Optional.empty(), "alice@example.com")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "postmaster@example.com",
        "Abuse@Anything.Example",
        "abuse+reports@example.com",
        "noc@example.net",
        "noc+pager@example.net",
        "anyone@optout.example",
        "anyone@sub.optout.example",
        "list-announce@lists.example.org",
    })
    void recipientsMatchAsInPostfixAccessTables(String recipient) {
        assertThat(whitelist.match(address("192.0.2.99"), Optional.empty(), recipient)).contains(Match.RECIPIENT);
    }

    @ParameterizedTest
    @CsvSource({
        "postmasters@example.com",
        "xabuse@example.com",
        "noc@example.net.evil",
        "nocturne@example.net",
        "anyone@notoptout.example",
        "list-announce@lists.example.org.evil",
    })
    void otherRecipientsDoNot(String recipient) {
        assertThat(whitelist.match(address("192.0.2.99"), Optional.empty(), recipient)).isEmpty();
    }

    @Test
    void debiansOwnFilesReadWithoutMalformedLines() throws Exception {
        assumeTrue(Files.isReadable(DEBIAN_CLIENTS) && Files.isReadable(DEBIAN_RECIPIENTS), "postgrey is not installed");

        PostgreyWhitelistFile.Reading debianClients = PostgreyWhitelistFile.clients(DEBIAN_CLIENTS);
        PostgreyWhitelistFile.Reading debianRecipients = PostgreyWhitelistFile.recipients(DEBIAN_RECIPIENTS);

        assertThat(debianClients.malformed()).isEmpty();
        assertThat(debianRecipients.malformed()).isEmpty();
        assertThat(debianClients.whitelist().size()).isGreaterThan(100);
        assertThat(debianRecipients.whitelist().match(address("192.0.2.99"), Optional.empty(), "postmaster@example.com"))
            .contains(Match.RECIPIENT);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PostgreyWhitelistFileTest.class.getResource("/postgrey/" + name).toURI());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
