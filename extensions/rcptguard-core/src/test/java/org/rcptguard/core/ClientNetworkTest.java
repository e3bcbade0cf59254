package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ClientNetworkTest {
    @Test
    void anIpv4NetworkIsWrittenAsTheJdkWritesItsFirstAddressForEveryPrefixLength() throws Exception {
        for (String address : new String[] {"192.0.2.129", "0.0.0.0", "255.255.255.255", "10.200.3.7", "127.11.6.1"}) {
            InetAddress client = InetAddress.getByName(address);
            for (int prefix = 0; prefix <= 32; prefix++) {
                assertThat(ClientNetwork.of(client, prefix, 64).asString())
                    .as(address + "/" + prefix)
                    .isEqualTo(Cidr.of(client, prefix).address().getHostAddress() + "/" + prefix);
            }
        }
        assertThat(ClientNetwork.of(InetAddress.getByName("192.0.2.129"), 24, 64).asString()).isEqualTo("192.0.2.0/24");
        assertThat(ClientNetwork.of(InetAddress.getByName("192.0.2.129"), 25, 64).asString()).isEqualTo("192.0.2.128/25");
    }

    @Test
    void anIpv6NetworkTakesTheIpv6Prefix() throws Exception {
        assertThat(ClientNetwork.of(InetAddress.getByName("2001:db8:1:2:3::4"), 24, 64).asString()).isEqualTo("2001:db8:1:2:0:0:0:0/64");
    }

    @Test
    void aPrefixLengthOutOfRangeIsRefused() throws Exception {
        assertThatThrownBy(() -> ClientNetwork.of(InetAddress.getByName("192.0.2.1"), 33, 64))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33");
        assertThatThrownBy(() -> ClientNetwork.of(InetAddress.getByName("192.0.2.1"), -1, 64))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
