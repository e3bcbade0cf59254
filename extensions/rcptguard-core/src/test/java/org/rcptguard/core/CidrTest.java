package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @Test
    void clientNetworkIsTheIpv4Slash24ByDefault() throws Exception {
        RcptGuardConfiguration configuration = RcptGuardConfiguration.defaults();
        assertThat(configuration.clientNetworkOf(InetAddress.getByName("127.0.1.2")).asString()).isEqualTo("127.0.1.0/24");
        assertThat(configuration.clientNetworkOf(InetAddress.getByName("127.0.1.3")))
            .isEqualTo(configuration.clientNetworkOf(InetAddress.getByName("127.0.1.2")));
        assertThat(configuration.clientNetworkOf(InetAddress.getByName("127.0.2.2")))
            .isNotEqualTo(configuration.clientNetworkOf(InetAddress.getByName("127.0.1.2")));
    }

    @Test
    void clientNetworkIsTheIpv6Slash64ByDefault() throws Exception {
        RcptGuardConfiguration configuration = RcptGuardConfiguration.defaults();
        assertThat(configuration.clientNetworkOf(InetAddress.getByName("2001:db8:1:2:aaaa::1")).asString())
            .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(configuration.clientNetworkOf(InetAddress.getByName("::1")).asString()).isEqualTo("0:0:0:0:0:0:0:0/64");
    }

    @Test
    void containsMatchesTheNetworkOnly() throws Exception {
        Cidr cidr = Cidr.parse("192.0.2.0/25");
        assertThat(cidr.contains(InetAddress.getByName("192.0.2.127"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("192.0.2.128"))).isFalse();
        assertThat(cidr.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
    }

    @Test
    void aLoneAddressIsOneHost() throws Exception {
        Cidr host = Cidr.parse("192.0.2.7");
        assertThat(host.prefixLength()).isEqualTo(32);
        assertThat(host.contains(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(host.contains(InetAddress.getByName("192.0.2.8"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mail.example.com", "192.0.2.0/33", "192.0.2.0/x", "/24", "2001:db8::/129"})
    void rejectsWhatIsNotACidrWithoutResolvingNames(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
