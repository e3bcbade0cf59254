package org.rcptguard.core.postgrey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.postgrey.PostgreyWhitelist.Match;

class PostgreyWhitelistsTest {
    @TempDir
    Path dir;

    private static RcptGuardSettings settings(Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        return RcptGuardSettings.of(properties);
    }

    @Test
    void unsetIsTheEmptyWhitelist() {
        assertThat(RcptGuardConfiguration.defaults().postgreyWhitelist()).isSameAs(PostgreyWhitelist.EMPTY);
    }

    @Test
    void bothSettingsAndSeveralFilesMakeOneWhitelist() throws Exception {
        Path clients = Files.writeString(dir.resolve("whitelist_clients"), "# postgrey\n192.0.2.0/24\n");
        Path local = Files.writeString(dir.resolve("whitelist_clients.local"), "198.51.100\n");
        Path recipients = Files.writeString(dir.resolve("whitelist_recipients"), "postmaster@\n");

        PostgreyWhitelist whitelist = RcptGuardConfiguration.from(settings(Map.of(
            PostgreyWhitelists.CLIENTS, clients + "," + local,
            PostgreyWhitelists.RECIPIENTS, recipients.toString()))).postgreyWhitelist();

        assertThat(whitelist.match(InetAddress.getByName("192.0.2.9"), Optional.empty(), "a@example.com")).contains(Match.CLIENT);
        assertThat(whitelist.match(InetAddress.getByName("198.51.100.9"), Optional.empty(), "a@example.com")).contains(Match.CLIENT);
        assertThat(whitelist.match(InetAddress.getByName("203.0.113.9"), Optional.empty(), "postmaster@example.org"))
            .contains(Match.RECIPIENT);
        assertThat(whitelist.match(InetAddress.getByName("203.0.113.9"), Optional.empty(), "a@example.com")).isEmpty();
    }

    @Test
    void aMissingFileStopsJamesNamingTheKeyAndThePath() {
        Path missing = dir.resolve("no_such_file");

        assertThatThrownBy(() -> RcptGuardConfiguration.from(settings(Map.of(PostgreyWhitelists.RECIPIENTS, missing.toString()))))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageStartingWith("Invalid RcptGuard setting whitelist.postgrey.recipients=" + missing + ": cannot read the file");
    }

    @Test
    void aDirectoryIsNotReadable() {
        assertThatThrownBy(() -> RcptGuardConfiguration.from(settings(Map.of(PostgreyWhitelists.CLIENTS, dir.toString()))))
            .hasMessageStartingWith("Invalid RcptGuard setting whitelist.postgrey.clients=" + dir + ": cannot read the file");
    }

    @Test
    void malformedLinesAreReportedWithFileAndNumberAndTheRestKept() throws Exception {
        Path clients = Files.writeString(dir.resolve("whitelist_clients"),
            "192.0.2.0/24\ntwo words.example\n/unclosed(/\n300.1.2.3\n198.51.100.7\n");
        List<MalformedLine> reported = new ArrayList<>();

        PostgreyWhitelist whitelist = PostgreyWhitelists.from(settings(Map.of(PostgreyWhitelists.CLIENTS, clients.toString())),
            reported::add);

        assertThat(reported).extracting(MalformedLine::number).containsExactly(2, 3, 4);
        assertThat(reported).allSatisfy(line -> assertThat(line.source()).isEqualTo(clients.toString()));
        assertThat(whitelist.size()).isEqualTo(2);
        assertThat(whitelist.match(InetAddress.getByName("198.51.100.7"), Optional.empty(), "a@example.com")).contains(Match.CLIENT);
    }

    @Test
    void filesWithoutEntriesAreTheEmptyWhitelist() throws Exception {
        Path clients = Files.writeString(dir.resolve("whitelist_clients"), "# nothing yet\n\n");

        assertThat(PostgreyWhitelists.from(settings(Map.of(PostgreyWhitelists.CLIENTS, clients.toString())), line -> { }))
            .isSameAs(PostgreyWhitelist.EMPTY);
    }
}
