package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {
    /** RFC 5321's domain: a single label is one (James's own domain list has {@code localhost}). */
    @ParameterizedTest
    @CsvSource({"example.com,example.com", "Mail.Example.COM,mail.example.com", "localhost,localhost",
        "xn--bcher-kva.ch,xn--bcher-kva.ch", "a-b.c-d.example,a-b.c-d.example", "123.example,123.example"})
    void aDomainNameIsLowerCase(String text, String domain) {
        assertThat(Addresses.domain(text).asString()).isEqualTo(domain);
    }

    /** What no address's domain can be, though James's {@code Domain.of} takes some (underscores). */
    @ParameterizedTest
    @ValueSource(strings = {"", "bad_domain.example", "-a.example", "a-.example", "a..example", ".example", "example.",
        "exa mple.com", "user@example.com", "[192.0.2.1]", "bad_domain!"})
    void anythingElseIsRefusedNamingTheText(String text) {
        assertThatThrownBy(() -> Addresses.domain(text)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 127, 242}) // 242 + "@example.com": 254 octets
    void anAddressAnSmtpPathCanCarryMayBeAMailbox(int localPartLength) {
        assertThat(Addresses.noMailboxCanHave(Mail.address("x".repeat(localPartLength) + "@example.com"))).isFalse();
    }

    /** RFC 5321 4.5.3.1.3: a path is at most 256 octets with its brackets; James's user names stop at 255. */
    @ParameterizedTest
    @ValueSource(ints = {243, 300, 5_000}) // 243 + "@example.com": 255 octets
    void aLongerOneIsNoMailbox(int localPartLength) {
        assertThat(Addresses.noMailboxCanHave(Mail.address("x".repeat(localPartLength) + "@example.com"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"Alice@Example.COM,alice@example.com", "\"Odd Local\"@example.com,\"odd local\"@example.com"})
    void theKeyIsTheAddressInLowerCase(String address, String key) {
        assertThat(Addresses.key(Mail.address(address))).isEqualTo(key);
    }
}
