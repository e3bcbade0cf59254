package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WhitelistEntryTest {
    @ParameterizedTest
    @CsvSource({"client,CLIENT", "clients,CLIENT", "Sender,SENDER", "senders,SENDER", "recipient,RECIPIENT", "RECIPIENTS,RECIPIENT"})
    void kindsAreWrittenSingularOrPlural(String text, WhitelistKind kind) {
        assertThat(WhitelistKind.parse(text)).isEqualTo(kind);
    }

    @Test
    void anUnknownKindNamesTheKnownOnes() {
        assertThatThrownBy(() -> WhitelistKind.parse("networks"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("networks").hasMessageContaining("client, sender, recipient");
    }

    @ParameterizedTest
    @CsvSource({
        "client,192.0.2.7/24,192.0.2.0/24",
        "client,192.0.2.7,192.0.2.7/32",
        "client,2001:DB8::1/64,2001:db8:0:0:0:0:0:0/64",
        "sender,Partner.Example,partner.example",
        "recipient,Alice@Example.COM,alice@example.com",
        "recipient,@example.net,example.net",
        "recipient,example.net,example.net",
        "recipient,alice+tag@example.com,alice+tag@example.com"
    })
    void valuesAreKeptInCanonicalForm(String kind, String value, String canonical) {
        assertThat(WhitelistEntry.of(WhitelistKind.parse(kind), value).value()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "client|10.0.0.0/33",
        "client|mx.example.com",
        "client|300.1.2.3",
        "sender|bad_domain!",
        "sender|user@example.com",
        "recipient|user@",
        "recipient|a b@example.com",
        "recipient|<alice@example.com>",
        "recipient|alice@exa mple.com"
    })
    void malformedValuesAreRefused(String kind, String value) {
        assertThatThrownBy(() -> WhitelistEntry.of(WhitelistKind.parse(kind), value))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyValueIsRefused() {
        assertThatThrownBy(() -> WhitelistEntry.client(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWhitelistListsItsEntriesInCanonicalForm() {
        Whitelist whitelist = Whitelist.of(java.util.List.of(WhitelistEntry.recipient("@example.net"),
            WhitelistEntry.client("192.0.2.9/24"), WhitelistEntry.sender("partner.example")));

        assertThat(whitelist.entries()).containsExactly(WhitelistEntry.client("192.0.2.0/24"),
            WhitelistEntry.sender("partner.example"), WhitelistEntry.recipient("example.net"));
        assertThat(whitelist.contains(WhitelistEntry.recipient("@EXAMPLE.net"))).isTrue();
    }
}
