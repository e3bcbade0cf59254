package org.rcptguard.james.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsTextTest {
    @Test
    void aTxtRecordSplitIntoStringsIsJoined() {
        assertThat(TxtRdata.text("\"v=spf1 ip4:192.0.2.0/24 \" \"include:example.org -all\""))
            .isEqualTo("v=spf1 ip4:192.0.2.0/24 include:example.org -all");
    }

    @Test
    void escapesAreUndone() {
        assertThat(TxtRdata.text("\"say \\\"hi\\\" \\092 \\059\"")).isEqualTo("say \"hi\" \\ ;");
    }

    @Test
    void unquotedTextIsKept() {
        assertThat(TxtRdata.text("v=spf1 -all")).isEqualTo("v=spf1 -all");
    }

    @ParameterizedTest
    @CsvSource({
        "9.150.0.127.in-addr.arpa,127.0.150.9",
        "9.150.0.127.in-addr.arpa.,127.0.150.9",
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa,2001:db8::1",
    })
    void reverseNamesGiveTheirAddress(String name, String address) throws Exception {
        assertThat(ReverseName.address(name)).contains(InetAddress.getByName(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"150.0.127.in-addr.arpa", "300.150.0.127.in-addr.arpa", "example.org", "x.150.0.127.in-addr.arpa", "1.0.ip6.arpa"})
    void otherNamesGiveNone(String name) {
        assertThat(ReverseName.address(name)).isEmpty();
    }
}
