package org.rcptguard.james.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.rcptguard.core.directory.DomainDirectory;

class DirectoryProviderTest {
    @TempDir
    Path home;

    /** James hosts example.com, where alice is a user. */
    private static final RecipientDirectory JAMES = new RecipientDirectory() {
        @Override
        public boolean governs(Domain domain) {
            return domain.equals(Domain.of("example.com"));
        }

        @Override
        public DirectoryAnswer lookUp(MailAddress address) {
            return Mail.answer(address.getLocalPart().equalsIgnoreCase("alice") ? RecipientClass.VALID : RecipientClass.INVALID);
        }
    };

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void withoutDirectorySettingsJamesAloneDecides() {
        assertThat(DirectoryProvider.build(DirectoryConfiguration.fromProperties(new Properties()), JAMES, home, new DirectoryStatus(), DirectoryProvider::memoryCache)).isSameAs(JAMES);
    }

    @Test
    void aRelayedDomainIsGovernedAndLookedUpInItsListRelativeToTheHome() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/recipients-example.net.txt"), "bob@example.net\n");
        RecipientDirectory directory = DirectoryProvider.build(DirectoryConfiguration.fromProperties(properties(
            "directory.domains", "example.net",
            "directory.example.net.sources", "list",
            "directory.example.net.list", "conf/recipients-example.net.txt",
            "directory.timeout", "100ms")), JAMES, home, new DirectoryStatus(), DirectoryProvider::memoryCache);

        assertThat(directory).isInstanceOf(DomainDirectory.class);
        assertThat(directory.governs(Domain.of("example.net"))).isTrue();
        assertThat(directory.governs(Domain.of("EXAMPLE.NET"))).isTrue();
        assertThat(directory.governs(Domain.of("example.com"))).isTrue();
        assertThat(directory.governs(Domain.of("elsewhere.example"))).isFalse();
        assertThat(directory.classify(Mail.address("Bob@Example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.INVALID);
        // A hosted domain is James's, without the floor.
        assertThat(directory.classify(Mail.address("alice@example.com"))).isEqualTo(RecipientClass.VALID);
        long start = System.nanoTime();
        directory.classify(Mail.address("nobody@example.com"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void explainingARelayedRecipientNamesItsSourceAndReason() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/recipients-example.net.txt"), "bob@example.net\n");
        DirectoryStatus status = new DirectoryStatus();
        RecipientDirectory directory = DirectoryProvider.build(DirectoryConfiguration.fromProperties(properties(
            "directory.domains", "example.net",
            "directory.example.net.sources", "list,james",
            "directory.example.net.list", "conf/recipients-example.net.txt",
            "directory.timeout", "100ms")), JAMES, home, status, DirectoryProvider::memoryCache);

        assertThat(directory.lookUp(Mail.address("Bob@Example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "list", false, "listed"));
        assertThat(directory.lookUp(Mail.address("alice@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "james", false, "known"));
        assertThat(directory.lookUp(Mail.address("carol@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, "james", false, "unknown"));
        // No SMTP verification: no cache.
        assertThat(status.verificationCache()).isEmpty();
    }

    @Test
    void jamesCanBeOneOfTheSourcesOfADomain() throws Exception {
        Files.writeString(home.resolve("extra.txt"), "bob@example.com\n");
        RecipientDirectory directory = DirectoryProvider.build(DirectoryConfiguration.fromProperties(properties(
            "directory.domains", "example.com",
            "directory.example.com.sources", "james,list",
            "directory.example.com.list", home.resolve("extra.txt").toString(),
            "directory.timeout", "100ms")), JAMES, home, new DirectoryStatus(), DirectoryProvider::memoryCache);

        assertThat(directory.classify(Mail.address("alice@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("bob@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("carol@example.com"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void relayDomainsAreTheNamedDomainsJamesDoesNotHost() throws Exception {
        MemoryDomainList domains = new MemoryDomainList(null);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false)
            .defaultDomain(Domain.of("example.com")).build());
        DomainList domainList = domains;
        RelayDomains relayDomains = new RelayDomains(DirectoryConfiguration.fromProperties(properties(
            "directory.domains", "example.net,example.com",
            "directory.example.net.sources", "list",
            "directory.example.net.list", "x.txt",
            "directory.example.com.sources", "james")), domainList);

        assertThat(relayDomains.isRelayed(Domain.of("example.net"))).isTrue();
        assertThat(relayDomains.isRelayed(Domain.of("EXAMPLE.net"))).isTrue();
        assertThat(relayDomains.isRelayed(Domain.of("example.com"))).isFalse();
        assertThat(relayDomains.isRelayed(Domain.of("elsewhere.example"))).isFalse();
    }
}
