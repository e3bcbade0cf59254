package org.rcptguard.james.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.healthcheck.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.directory.DirectoryConfiguration;

import reactor.core.publisher.Mono;

class DirectoryHealthCheckTest {
    @TempDir
    Path home;

    private static final RecipientDirectory NO_JAMES = new RecipientDirectory() {
        @Override
        public boolean governs(Domain domain) {
            return false;
        }

        @Override
        public DirectoryAnswer lookUp(MailAddress address) {
            return Mail.answer(RecipientClass.INVALID);
        }
    };

    @Test
    void aSourceThatKeepsFailingDegradesTheHealthCheckAndIsThenSkipped() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Properties properties = new Properties();
        properties.setProperty("directory.domains", "example.org");
        properties.setProperty("directory.example.org.sources", "ldap");
        properties.setProperty("directory.example.org.ldap.url", "ldap://127.0.0.1:" + closedPort);
        properties.setProperty("directory.example.org.ldap.base", "ou=people,dc=example,dc=org");
        properties.setProperty("directory.timeout", "500ms");
        DirectoryStatus status = new DirectoryStatus();
        RecipientDirectory directory = DirectoryProvider.build(DirectoryConfiguration.fromProperties(properties), NO_JAMES, home,
            status, DirectoryProvider::memoryCache);
        DirectoryHealthCheck healthCheck = new DirectoryHealthCheck(status);
        assertThat(Mono.from(healthCheck.check()).block().isHealthy()).isTrue();

        for (int i = 0; i < 3; i++) {
            assertThat(directory.classify(Mail.address("alice@example.org"))).isEqualTo(RecipientClass.UNDECIDED);
        }
        Result result = Mono.from(healthCheck.check()).block();
        assertThat(result.isDegraded()).isTrue();
        assertThat(result.getCause()).hasValueSatisfying(cause ->
            assertThat(cause).contains("ldap ldap://127.0.0.1:" + closedPort + " is not answering"));

        long start = System.nanoTime();
        assertThat(directory.classify(Mail.address("alice@example.org"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
    }
}
