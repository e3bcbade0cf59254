package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.directory.DirectoryConfiguration.SourceKind;

class DirectoryConfigurationTest {
    private static DirectoryConfiguration parse(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return DirectoryConfiguration.fromProperties(properties);
    }

    @Test
    void noDirectorySettingsMeansJamesAlone() {
        DirectoryConfiguration configuration = parse("greylist.delay", "5m");
        assertThat(configuration.domains()).isEmpty();
        assertThat(configuration.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(configuration.maxConcurrent()).isEqualTo(16);
        assertThat(configuration.backgroundThreads()).isEqualTo(2);
        assertThat(configuration.backgroundQueue()).isEqualTo(1000);
    }

    @Test
    void theBackgroundLookUpsAreSettings() {
        DirectoryConfiguration configuration = parse("directory.background.threads", "4", "directory.background.queue", "50");
        assertThat(configuration.backgroundThreads()).isEqualTo(4);
        assertThat(configuration.backgroundQueue()).isEqualTo(50);
    }

    @Test
    void domainsWithTheirSourcesInOrder() {
        DirectoryConfiguration configuration = parse(
            "directory.domains", "Example.NET, example.org",
            "directory.example.net.sources", "list,james",
            "directory.example.net.list", "conf/recipients-example.net.txt",
            "directory.example.org.sources", "ldap",
            "directory.example.org.ldap.url", "ldap://127.0.0.1:3389",
            "directory.example.org.ldap.base", "ou=people,dc=example,dc=org",
            "directory.timeout", "300ms");

        assertThat(configuration.names("example.net")).isTrue();
        assertThat(configuration.domains().get("example.net").sources()).containsExactly(SourceKind.LIST, SourceKind.JAMES);
        assertThat(configuration.domains().get("example.net").listFile()).contains("conf/recipients-example.net.txt");
        DirectoryConfiguration.LdapSettings ldap = configuration.domains().get("example.org").ldap().orElseThrow();
        assertThat(ldap.filter()).isEqualTo("(mail={0})");
        assertThat(ldap.bindDn()).isEmpty();
        assertThat(configuration.timeout()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void invalidValuesNameTheKeyAndTheValue() {
        List<String[]> invalid = List.of(
            new String[] {"directory.domains", "not_a domain!"},
            new String[] {"directory.domains", "example.net"},
            new String[] {"directory.domains", "example.net", "directory.example.net.sources", "list,nis"},
            new String[] {"directory.domains", "example.net", "directory.example.net.sources", "list"},
            new String[] {"directory.domains", "example.net", "directory.example.net.sources", "ldap",
                "directory.example.net.ldap.url", "http://x", "directory.example.net.ldap.base", "dc=x"},
            new String[] {"directory.domains", "example.net", "directory.example.net.sources", "ldap",
                "directory.example.net.ldap.url", "ldap://x", "directory.example.net.ldap.base", "dc=x",
                "directory.example.net.ldap.filter", "(mail=alice)"},
            new String[] {"directory.example.org.sources", "list"},
            new String[] {"directory.timeout", "soon"},
            new String[] {"directory.reply.floor", "1s"},
            new String[] {"directory.max.concurrent", "0"},
            new String[] {"directory.background.threads", "0"},
            new String[] {"directory.background.threads", "many"},
            new String[] {"directory.background.queue", "0"},
            new String[] {"directory.background.queue", "-5"});
        for (String[] keyValues : invalid) {
            assertThatThrownBy(() -> parse(keyValues))
                .as(String.join(" ", keyValues))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Invalid RcptGuard setting directory.");
        }
        assertThatThrownBy(() -> parse("directory.domains", "example.net", "directory.example.net.sources", "list,nis"))
            .hasMessageStartingWith("Invalid RcptGuard setting directory.example.net.sources=list,nis: unknown source nis");
        assertThatThrownBy(() -> parse("directory.background.queue", "lots"))
            .hasMessageStartingWith("Invalid RcptGuard setting directory.background.queue=lots");
        // No reply waits on a directory before its triplet passed: the reply floor is gone, and its key with it.
        assertThatThrownBy(() -> parse("directory.timeout", "2s", "directory.reply.floor", "1s"))
            .hasMessageStartingWith("Invalid RcptGuard setting directory.reply.floor=1s");
    }

    @Test
    void deliveryIsQueuedUnlessInlineIsAskedForAndInlineNeedsABackend() {
        DirectoryConfiguration configuration = parse(
            "directory.domains", "example.net,example.org",
            "directory.example.net.sources", "list",
            "directory.example.net.list", "conf/recipients-example.net.txt",
            "directory.example.net.delivery", "Inline",
            "directory.example.net.smtp.host", "127.0.0.1:2526",
            "directory.example.org.sources", "smtp",
            "directory.example.org.smtp.host", "backend.example.org",
            "directory.inline.data.timeout", "2m",
            "directory.inline.max.sessions", "4");

        assertThat(configuration.domains().get("example.net").delivery()).isEqualTo(DirectoryConfiguration.Delivery.INLINE);
        assertThat(configuration.domains().get("example.net").inlineBackend().orElseThrow().port()).isEqualTo(2526);
        assertThat(configuration.domains().get("example.org").delivery()).isEqualTo(DirectoryConfiguration.Delivery.QUEUE);
        assertThat(configuration.domains().get("example.org").inlineBackend()).isEmpty();
        assertThat(configuration.delivers()).isTrue();
        assertThat(configuration.inline().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(configuration.inline().commandTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(configuration.inline().dataTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(configuration.inline().maxSessions()).isEqualTo(4);
        assertThat(configuration.inline().startTls()).isEqualTo(DirectoryConfiguration.StartTls.OPPORTUNISTIC);
        assertThat(parse("directory.inline.starttls", "Required").inline().startTls()).isEqualTo(DirectoryConfiguration.StartTls.REQUIRED);
        assertThatThrownBy(() -> parse("directory.inline.starttls", "sometimes"))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("directory.inline.starttls").hasMessageContaining("sometimes");

        assertThatThrownBy(() -> parse("directory.domains", "example.net", "directory.example.net.sources", "james",
            "directory.example.net.delivery", "inline"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("directory.example.net.smtp.host").hasMessageContaining("inline delivery");
        assertThatThrownBy(() -> parse("directory.domains", "example.net", "directory.example.net.sources", "james",
            "directory.example.net.delivery", "later"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("directory.example.net.delivery").hasMessageContaining("later");
        assertThatThrownBy(() -> parse("directory.inline.max.sessions", "0"))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("directory.inline.max.sessions");
    }
}
