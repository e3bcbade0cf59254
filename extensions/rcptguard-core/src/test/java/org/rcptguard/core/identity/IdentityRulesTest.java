package org.rcptguard.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdentityRulesTest {
    private static final IdentitySettings SPF_AND_FCRDNS = new IdentitySettings(true, true, Duration.ofSeconds(2), 4);

    private final List<IdentityQuery> spfChecks = new ArrayList<>();

    @Test
    void anSpfPassIsTheSendersDomain() {
        IdentityRules rules = rules(SpfResult.PASS, Map.of(), SPF_AND_FCRDNS);

        assertThat(rules.resolve(query("192.0.2.7", "mta.example.net", "Bounce-77@Mail.Example.ORG")))
            .isEqualTo(ClientIdentity.spf("mail.example.org"));
    }

    @Test
    void anSpfPassForTheNullSenderIsTheHeloName() {
        IdentityRules rules = rules(SpfResult.PASS, Map.of(), SPF_AND_FCRDNS);

        assertThat(rules.resolve(query("192.0.2.7", "MTA.example.net", ""))).isEqualTo(ClientIdentity.spf("mta.example.net"));
    }

    @Test
    void theNullSenderWithoutHeloHasNothingForSpfToCheck() {
        IdentityRules rules = rules(SpfResult.PASS, Map.of(), new IdentitySettings(true, false, Duration.ofSeconds(2), 4));

        assertThat(rules.resolve(query("192.0.2.7", "", ""))).isEqualTo(ClientIdentity.parse("net:192.0.2.0/24"));
        assertThat(spfChecks).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = SpfResult.class, names = "PASS", mode = EnumSource.Mode.EXCLUDE)
    void everyOtherSpfResultIsTheClientNetwork(SpfResult result) {
        IdentityRules rules = rules(result, Map.of(), new IdentitySettings(true, false, Duration.ofSeconds(2), 4));

        assertThat(rules.resolve(query("192.0.2.7", "mta.example.net", "a@example.org")))
            .isEqualTo(ClientIdentity.parse("net:192.0.2.0/24"));
    }

    @Test
    void withoutSpfPassAConfirmedReverseNameIsItsOrganisationalDomain() {
        IdentityRules rules = rules(SpfResult.SOFTFAIL, Map.of("192.0.2.7", "mta7.out.example.co.uk"), SPF_AND_FCRDNS);

        assertThat(rules.resolve(query("192.0.2.7", "mta.example.net", "a@example.org")))
            .isEqualTo(ClientIdentity.fcrdns("example.co.uk"));
    }

    @Test
    void spfWinsOverTheReverseName() {
        IdentityRules rules = rules(SpfResult.PASS, Map.of("192.0.2.7", "mta7.out.example.co.uk"), SPF_AND_FCRDNS);

        assertThat(rules.resolve(query("192.0.2.7", "h", "a@example.org"))).isEqualTo(ClientIdentity.spf("example.org"));
    }

    @Test
    void withoutConfirmedNameTheClientNetwork() {
        IdentityRules rules = rules(SpfResult.NONE, Map.of(), SPF_AND_FCRDNS);

        assertThat(rules.resolve(query("2001:db8::7", "h", "a@example.org"))).isEqualTo(ClientIdentity.parse("net:2001:db8:0:0:0:0:0:0/64"));
    }

    @Test
    void disabledRulesAreNotConsulted() {
        IdentityRules rules = rules(SpfResult.PASS, Map.of("192.0.2.7", "mta7.example.com"),
            new IdentitySettings(false, false, Duration.ofSeconds(2), 8));

        assertThat(rules.resolve(query("192.0.2.7", "h", "a@example.org"))).isEqualTo(ClientIdentity.parse("net:192.0.2.0/24"));
        assertThat(spfChecks).isEmpty();
    }

    @Test
    void aPortThatThrowsProvesNothing() {
        SpfCheck throwing = query -> {
            throw new IllegalStateException("bug");
        };
        ReverseNames throwingNames = new FixedNames(Map.of()) {
            @Override
            public Optional<String> confirmedName(InetAddress client) {
                throw new IllegalStateException("bug");
            }
        };
        IdentityRules rules = new IdentityRules(throwing, throwingNames, SPF_AND_FCRDNS, 24, 64);

        assertThat(rules.resolve(query("192.0.2.7", "h", "a@example.org"))).isEqualTo(ClientIdentity.parse("net:192.0.2.0/24"));
    }

    private IdentityRules rules(SpfResult result, Map<String, String> confirmedNames, IdentitySettings settings) {
        SpfCheck spf = query -> {
            spfChecks.add(query);
            return result;
        };
        return new IdentityRules(spf, new FixedNames(confirmedNames), settings, 24, 64);
    }

    static IdentityQuery query(String client, String helo, String sender) {
        try {
            return IdentityQuery.of(InetAddress.getByName(client), helo, sender);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Confirmed names by address; the organisational domain is the name's last three labels under co.uk, else two. */
    static class FixedNames implements ReverseNames {
        private final Map<String, String> names;

        FixedNames(Map<String, String> names) {
            this.names = names;
        }

        @Override
        public Optional<String> confirmedName(InetAddress client) {
            return Optional.ofNullable(names.get(client.getHostAddress()));
        }

        @Override
        public Optional<String> organisationalDomain(String hostName) {
            String[] labels = hostName.split("\\.");
            int keep = hostName.endsWith(".co.uk") ? 3 : 2;
            return Optional.of(String.join(".", List.of(labels).subList(labels.length - keep, labels.length)));
        }
    }
}
