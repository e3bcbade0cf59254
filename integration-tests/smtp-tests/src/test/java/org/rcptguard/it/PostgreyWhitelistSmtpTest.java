package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * Postgrey's whitelist files, as an administrator moving from Postfix + postgrey keeps them, read by a real James:
 * a client listed by network and a listed recipient are not greylisted; everyone else still is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgreyWhitelistSmtpTest {
    private Path files;
    private JamesServerProcess james;

    @BeforeAll
    void startJames() throws IOException {
        files = Files.createTempDirectory("postgrey-whitelists");
        Path clients = Files.writeString(files.resolve("whitelist_clients"),
            "# as Debian ships it: names, /regex/, addresses, networks\n"
                + "gmail.com\n"
                + "/^mail\\d+\\.example\\.net$/\n"
                + "127.0.61.0/24\n"
                + "not an entry\n");
        Path recipients = Files.writeString(files.resolve("whitelist_recipients"), "postmaster@\nbob@example.com\n");
        james = JamesServerProcess.builder()
            .confDir(JamesServerProcess.projectConfDir())
            .rcptguardProperties(Map.of(
                "greylist.delay", "2s",
                "whitelist.postgrey.clients", clients.toString(),
                "whitelist.postgrey.recipients", recipients.toString()))
            .start();
        Users.create(james.webAdmin());
    }

    @AfterAll
    void stopJames() throws IOException {
        if (james != null) {
            james.close();
        }
        if (files != null) {
            try (var paths = Files.walk(files)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
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

    @Test
    void nameEntriesAreReadButSaidNotToBeMatchedYet() {
        assertThat(james.log()).contains("RcptGuard does not match the client names and /regex/ entries of whitelist.postgrey.clients yet");
    }

    @Test
    void aMissingFileStopsJamesNamingTheKeyAndThePath() {
        Path missing = files.resolve("no_such_file");

        JamesServerProcess.FailedStart failed = JamesServerProcess.startExpectingFailure(JamesServerProcess.projectConfDir(),
            Map.of("whitelist.postgrey.clients", missing.toString()));

        assertThat(failed.log()).contains("Invalid RcptGuard setting whitelist.postgrey.clients=" + missing + ": cannot read the file");
    }
}
