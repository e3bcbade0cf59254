package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rcptguard.core.RcptGuardSettings.HostPort;

class RcptGuardSettingsTest {
    private static RcptGuardSettings settings(Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        return RcptGuardSettings.of(properties);
    }

    /** Every form the README documents ({@code 500ms, 30s, 5m, 2h, 36d, 1w}, a bare number of seconds) still parses. */
    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "30,PT30S", "5m,PT5M", "2h,PT2H", "36d,PT864H", "1w,PT168H", " 5M ,PT5M"})
    void parsesWhatAnOperatorWrites(String text, String expected) {
        assertThat(RcptGuardSettings.parseDuration("k", text)).isEqualTo(Duration.parse(expected));
        assertThat(settings(Map.of("k", text)).duration("k", "1s")).isEqualTo(Duration.parse(expected));
    }

    /** James's DurationParser also takes its long unit names. */
    @Test
    void takesJamesLongUnitNamesToo() {
        assertThat(RcptGuardSettings.parseDuration("k", "5 minutes")).isEqualTo(Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5 fortnights", "-5m", "5x", "1.5h", "m", "99999999999d"})
    void rejectsAnythingElseNamingTheKey(String text) {
        assertThatThrownBy(() -> RcptGuardSettings.parseDuration("greylist.delay", text))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessage("Invalid RcptGuard setting greylist.delay=" + text + ": expected a duration such as 30s, 5m, 2h or 36d");
    }

    @Test
    void aZeroDurationIsRefusedUnlessAllowed() {
        RcptGuardSettings settings = settings(Map.of("k", "0s"));

        assertThatThrownBy(() -> settings.duration("k", "1s")).hasMessage("Invalid RcptGuard setting k=0s: must be longer than 0");
        assertThat(settings.durationOrZero("k", "1s")).isZero();
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT30S,30s", "PT5M,5m", "PT2H,2h", "PT864H,36d"})
    void formatsBackToTheShortForm(String duration, String expected) {
        assertThat(RcptGuardSettings.format(Duration.parse(duration))).isEqualTo(expected);
    }

    @Test
    void aValueJamesSplitsAtCommasIsReadWhole() {
        RcptGuardSettings settings = settings(Map.of("directory.example.org.ldap.base", "ou=people,dc=example,dc=org"));

        assertThat(settings.value("directory.example.org.ldap.base")).contains("ou=people,dc=example,dc=org");
    }

    @Test
    void listsTakeCommasAndSpaces() {
        assertThat(settings(Map.of("k", "a, b c,d")).list("k", String::toUpperCase)).containsExactly("A", "B", "C", "D");
    }

    @Test
    void aListItemRefusedIsNamed() {
        assertThatThrownBy(() -> settings(Map.of("whitelist.clients", "10.0.0.0/8,nonsense")).list("whitelist.clients", Cidr::parse))
            .hasMessageStartingWith("Invalid RcptGuard setting whitelist.clients=nonsense: ");
    }

    @Test
    void integersAreBounded() {
        RcptGuardSettings settings = settings(Map.of("scan.threshold", "0", "x", "ten"));

        assertThatThrownBy(() -> settings.integer("scan.threshold", "10", 1, 100))
            .hasMessage("Invalid RcptGuard setting scan.threshold=0: expected a whole number from 1 to 100");
        assertThatThrownBy(() -> settings.integer("x", "10", 1, 100)).hasMessageContaining("x=ten");
        assertThat(settings.integer("unset", "10", 1, 100)).isEqualTo(10);
    }

    @ParameterizedTest
    @CsvSource({"backend.example.net,backend.example.net,25", "backend.example.net:2525,backend.example.net,2525",
        "[2001:db8::1]:587,2001:db8::1,587", "10.0.0.1:25,10.0.0.1,25"})
    void readsHostAndPort(String value, String host, int port) {
        assertThat(RcptGuardSettings.hostPort(value, 25)).contains(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:0", "host:65536", "host:port", "a b", "[zz::1]:25", ""})
    void refusesWhatIsNoHostAndPort(String value) {
        assertThat(RcptGuardSettings.hostPort(value, 25)).isEmpty();
    }

    @Test
    void thePolicyRefusesEveryKeyOutsideTheGroupPrefixes() {
        RcptGuardSettings settings = settings(Map.of("greylist.delay", "5m", "cassandra.anything", "1",
            "directory.anything", "2", "content.anything", "3", "greylist.dealy", "5m"));

        assertThatThrownBy(() -> settings.rejectUnknownKeys("", Set.of("greylist.delay"), "greylist.delay"))
            .hasMessage("Invalid RcptGuard setting greylist.dealy=5m: unknown setting (known: greylist.delay)");
    }

    @Test
    void aGroupRefusesOnlyItsOwnUnknownKeys() {
        RcptGuardSettings settings = settings(Map.of("cassandra.keyspace", "k", "cassandra.keyspaces", "k", "content.x", "1"));

        assertThatThrownBy(() -> settings.rejectUnknownKeys("cassandra.", Set.of("cassandra.keyspace"), "cassandra.keyspace"))
            .hasMessageContaining("cassandra.keyspaces=k");
        settings.rejectUnknownKeys("content.", Set.of("content.x"), "content.x");
        assertThat(RcptGuardSettings.GROUP_PREFIXES).isEqualTo(List.of("cassandra.", "directory.", "content.", "identity.", "harvest."));
    }
}
