package org.rcptguard.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rcptguard.core.ClientNetwork;

class ClientIdentityTest {
    @Test
    void keysNameTheKindAndTheCanonicalValue() throws Exception {
        assertThat(ClientIdentity.spf("Example.ORG.").key()).isEqualTo("spf:example.org");
        assertThat(ClientIdentity.fcrdns("example.co.uk").key()).isEqualTo("ptr:example.co.uk");
        assertThat(ClientIdentity.network(ClientNetwork.of(InetAddress.getByName("192.0.2.77"), 24, 64)).key())
            .isEqualTo("net:192.0.2.0/24");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spf:example.org", "ptr:example.co.uk", "net:192.0.2.0/24", "net:2001:db8:0:0:0:0:0:0/64"})
    void aKeyParsesBackToTheSameIdentity(String key) {
        assertThat(ClientIdentity.parse(key).key()).isEqualTo(key);
    }

    @Test
    void onlyDomainsAreProven() {
        assertThat(ClientIdentity.spf("example.org").isProven()).isTrue();
        assertThat(ClientIdentity.fcrdns("example.org").isProven()).isTrue();
        assertThat(ClientIdentity.parse("net:192.0.2.0/24").isProven()).isFalse();
    }

    @Test
    void theSameDomainProvenTwoWaysIsTwoIdentities() {
        assertThat(ClientIdentity.spf("example.org")).isNotEqualTo(ClientIdentity.fcrdns("example.org"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.org", "dns:example.org", "spf:", "net:example.org", "spf:exa mple.org"})
    void somethingElseIsNotAKey(String text) {
        assertThatThrownBy(() -> ClientIdentity.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNetworkIsStoredAsItWasBeforeIdentitiesExistedSoKnownTripletsStillMatch() throws Exception {
        ClientNetwork network = ClientNetwork.of(InetAddress.getByName("192.0.2.77"), 24, 64);

        assertThat(ClientIdentity.network(network).storedKey()).isEqualTo(network.asString()).isEqualTo("192.0.2.0/24");
        assertThat(ClientIdentity.spf("example.org").storedKey()).isEqualTo("spf:example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.0/24", "2001:db8:0:0:0:0:0:0/64", "spf:example.org", "ptr:example.co.uk"})
    void aStoredKeyParsesBackToTheSameIdentity(String stored) {
        assertThat(ClientIdentity.parseStored(stored).storedKey()).isEqualTo(stored);
    }
}
