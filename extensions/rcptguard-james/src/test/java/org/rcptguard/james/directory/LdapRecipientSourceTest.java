package org.rcptguard.james.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.directory.BoundedLookup;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.rcptguard.core.directory.DirectoryConfiguration.LdapSettings;

/** The LDAP source against a real OpenLDAP ({@code slapd} from Debian's package, started here). */
class LdapRecipientSourceTest {
    @TempDir
    static Path home;
    static Slapd slapd;

    @BeforeAll
    static void startSlapd() throws Exception {
        // A real OpenLDAP server or no test at all: never a skip counted as a pass (.ci/run installs it).
        Assertions.assertTrue(Slapd.installed(), "slapd is not installed: apt-get install slapd");
        slapd = new Slapd(home, List.of("alice@example.org", "bob@example.org"));
    }

    @AfterAll
    static void stopSlapd() throws Exception {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static LdapSettings settings(String... extra) {
        Properties properties = new Properties();
        properties.setProperty("directory.domains", "example.org");
        properties.setProperty("directory.example.org.sources", "ldap");
        properties.setProperty("directory.example.org.ldap.url", slapd.url());
        properties.setProperty("directory.example.org.ldap.base", Slapd.BASE);
        for (int i = 0; i < extra.length; i += 2) {
            properties.setProperty(extra[i], extra[i + 1]);
        }
        return DirectoryConfiguration.fromProperties(properties).domains().get("example.org").ldap().orElseThrow();
    }

    @Test
    void anEntryWithTheAddressIsValidOthersInvalid() throws Exception {
        LdapRecipientSource source = new LdapRecipientSource(settings(), Duration.ofSeconds(2), 4);

        assertThat(source.classify(Mail.address("alice@example.org"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.classify(Mail.address("bob@example.org"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.classify(Mail.address("carol@example.org"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void theAddressIsEscapedInTheFilter() throws Exception {
        LdapRecipientSource source = new LdapRecipientSource(settings(), Duration.ofSeconds(2), 4);

        assertThat(source.classify(Mail.address("*@example.org"))).isEqualTo(RecipientClass.INVALID);
        assertThat(source.classify(Mail.address("\"alice)(mail=*\"@example.org"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void aBoundSearchWithItsOwnFilter() throws Exception {
        LdapRecipientSource source = new LdapRecipientSource(settings(
            "directory.example.org.ldap.filter", "(&(objectClass=inetOrgPerson)(mail={0}))",
            "directory.example.org.ldap.bind.dn", Slapd.ADMIN,
            "directory.example.org.ldap.bind.password", Slapd.PASSWORD), Duration.ofSeconds(2), 4);

        assertThat(source.classify(Mail.address("alice@example.org"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.classify(Mail.address("carol@example.org"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void aWrongPasswordIsAFailureNotAnAnswer() {
        LdapRecipientSource source = new LdapRecipientSource(settings(
            "directory.example.org.ldap.bind.dn", Slapd.ADMIN,
            "directory.example.org.ldap.bind.password", "wrong"), Duration.ofSeconds(2), 4);

        assertThatThrownBy(() -> source.classify(Mail.address("alice@example.org"))).isInstanceOf(com.unboundid.ldap.sdk.LDAPException.class);
    }

    /** The list first, then LDAP: either may know a recipient; a recipient in neither is INVALID. */
    @Test
    void aListThenLdapChain(@TempDir Path lists) throws Exception {
        java.nio.file.Files.writeString(lists.resolve("example.org.txt"), "list-only@example.org\n");
        Properties properties = new Properties();
        properties.setProperty("directory.domains", "example.org");
        properties.setProperty("directory.example.org.sources", "list,ldap");
        properties.setProperty("directory.example.org.list", "example.org.txt");
        properties.setProperty("directory.example.org.ldap.url", slapd.url());
        properties.setProperty("directory.example.org.ldap.base", Slapd.BASE);
        properties.setProperty("directory.timeout", "1s");
        org.rcptguard.core.RecipientDirectory directory = DirectoryProvider.build(DirectoryConfiguration.fromProperties(properties),
            null, lists, new DirectoryStatus(), DirectoryProvider::memoryCache);

        assertThat(directory.governs(Domain.of("example.org"))).isTrue();
        assertThat(directory.classify(Mail.address("list-only@example.org"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("alice@example.org"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("carol@example.org"))).isEqualTo(RecipientClass.INVALID);
    }

    /** A frozen server (SIGSTOP) and a stopped one: UNDECIDED within the timeout, then answers again once it is back. */
    @Test
    void anUnreachableOrFrozenServerIsUndecidedWithinTheTimeout() throws Exception {
        LdapRecipientSource source = new LdapRecipientSource(settings(), Duration.ofMillis(500), 4);
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(500), 4)) {
            assertThat(lookup.lookUp(source, Mail.address("alice@example.org")).recipientClass()).isEqualTo(RecipientClass.VALID);

            slapd.pause();
            try {
                long start = System.nanoTime();
                assertThat(lookup.lookUp(source, Mail.address("alice@example.org")).recipientClass()).isEqualTo(RecipientClass.UNDECIDED);
                assertThat(lookup.lookUp(source, Mail.address("carol@example.org")).recipientClass()).isEqualTo(RecipientClass.UNDECIDED);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
            } finally {
                slapd.resume();
            }
            Thread.sleep(600);
            assertThat(lookup.lookUp(source, Mail.address("alice@example.org")).recipientClass()).isEqualTo(RecipientClass.VALID);

            slapd.stop();
            try {
                assertThat(lookup.lookUp(source, Mail.address("alice@example.org")).recipientClass()).isEqualTo(RecipientClass.UNDECIDED);
            } finally {
                slapd.start();
            }
            assertThat(lookup.lookUp(source, Mail.address("alice@example.org")).recipientClass()).isEqualTo(RecipientClass.VALID);
        }
    }
}
