package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RcptGuardConfigurationTest {
    private static RcptGuardConfiguration parse(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return RcptGuardConfiguration.fromProperties(properties);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RcptGuardConfiguration defaults = RcptGuardConfiguration.defaults();
        assertThat(defaults.delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.retryWindow()).isEqualTo(Duration.ofDays(2));
        assertThat(defaults.lifetime()).isEqualTo(Duration.ofDays(36));
        assertThat(defaults.autoWhitelistPasses()).isEqualTo(5);
        assertThat(defaults.scanThreshold()).isEqualTo(10);
        assertThat(defaults.scanWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.penaltyFactor()).isEqualTo(4);
        assertThat(defaults.penaltyMax()).isEqualTo(Duration.ofDays(1));
        assertThat(defaults.mixedMode()).isEqualTo(MixedRecipientMode.DEFER_AFTER_CHANGE);
        assertThat(defaults.rejectMode()).isEqualTo(RejectMode.RCPT);
        assertThat(defaults.store()).isEqualTo("memory");
        assertThat(defaults.memoryMaxEntries()).isEqualTo(200_000);
        assertThat(defaults.mode()).isEqualTo(RcptGuardMode.ENFORCE);
        assertThat(defaults.whitelistRefresh()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.nodeName()).isEmpty();
        assertThat(defaults.hashAddresses()).isFalse();
        assertThat(defaults.hashSecret()).isEmpty();
    }

    @Test
    void readsTheOperationsSettings() {
        RcptGuardConfiguration configuration = parse("mode", "Observe", "whitelist.refresh", "500ms",
            "node.name", "mx-1.example", "decision.log.hash.addresses", "true",
            "decision.log.hash.secret", "0123456789abcdef-secret");

        assertThat(configuration.mode()).isEqualTo(RcptGuardMode.OBSERVE);
        assertThat(configuration.whitelistRefresh()).isEqualTo(Duration.ofMillis(500));
        assertThat(configuration.nodeName()).contains("mx-1.example");
        assertThat(configuration.hashAddresses()).isTrue();
        assertThat(configuration.hashSecret()).isEqualTo("0123456789abcdef-secret");
    }

    @Test
    void hashingAddressesNeedsASecretWhichIsNeverEchoed() {
        assertThatThrownBy(() -> parse("decision.log.hash.addresses", "true"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("decision.log.hash.secret");
        assertThatThrownBy(() -> parse("decision.log.hash.addresses", "true", "decision.log.hash.secret", "short-secret"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("decision.log.hash.secret=***")
            .hasMessageNotContaining("short-secret");
    }

    @Test
    void aSecretWithoutHashingIsIgnored() {
        assertThat(parse("decision.log.hash.secret", "x").hashSecret()).isEmpty();
    }

    @Test
    void readsEverySetting() {
        RcptGuardConfiguration configuration = parse(
            "greylist.delay", "2s", "greylist.retry.window", "1h", "greylist.lifetime", "7d",
            "mixed.mode", "one-recipient-per-transaction", "reject.mode", "DATA", "scan.threshold", "3",
            "whitelist.clients", "192.0.2.0/24, 2001:db8::/32", "whitelist.senders", "example.org",
            "whitelist.recipients", "abuse@example.com,@example.net");
        assertThat(configuration.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(configuration.retryWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(configuration.lifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(configuration.mixedMode()).isEqualTo(MixedRecipientMode.ONE_RECIPIENT_PER_TRANSACTION);
        assertThat(configuration.rejectMode()).isEqualTo(RejectMode.DATA);
        assertThat(configuration.scanThreshold()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "greylist.delay|soon",
        "greylist.delay|0s",
        "mixed.mode|defer",
        "reject.mode|never",
        "scan.threshold|0",
        "scan.threshold|ten",
        "network.ipv4.prefix|33",
        "store|redis",
        "whitelist.clients|mx.example.com",
        "whitelist.senders|bad_domain!",
        "whitelist.recipients|user@",
        "greylist.dealy|5m",
        "mode|enforcing",
        "whitelist.refresh|50ms",
        "whitelist.refresh|2h",
        "whitelist.refresh|often",
        "node.name|mx 1",
        "node.name|-mx",
        "decision.log.hash.addresses|yes"
    })
    void anUnusableValueNamesTheKeyAndTheValue(String key, String value) {
        assertThatThrownBy(() -> parse(key, value))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining(key)
            .hasMessageContaining(value.split(",")[0]);
    }

    @Test
    void theRetryWindowMustOutlastTheDelay() {
        assertThatThrownBy(() -> parse("greylist.delay", "1h", "greylist.retry.window", "30m"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("greylist.retry.window=30m");
    }

    @Test
    void storeSettingsAreLeftToTheStore() {
        assertThat(parse("cassandra.keyspace", "rcptguard").store()).isEqualTo("memory");
    }
}
