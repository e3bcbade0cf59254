package org.rcptguard.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardSettings;

class IdentitySettingsTest {
    private static RcptGuardSettings settings(Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        return RcptGuardSettings.of(properties);
    }

    @Test
    void defaultsAreSpfOnForwardConfirmedReverseDnsOffTwoSeconds() {
        IdentitySettings defaults = IdentitySettings.from(RcptGuardSettings.empty());
        assertThat(defaults.spf()).isTrue();
        assertThat(defaults.fcrdns()).isFalse();
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.maxConcurrent()).isEqualTo(8);
        assertThat(defaults).isEqualTo(IdentitySettings.DEFAULT);
    }

    @Test
    void readsEveryKeyOfTheGroup() {
        assertThat(IdentitySettings.from(settings(Map.of("identity.spf", "false", "identity.fcrdns", "TRUE",
            "identity.dns.timeout", "500ms", "identity.max.concurrent", "8"))))
            .isEqualTo(new IdentitySettings(false, true, Duration.ofMillis(500), 8));
    }

    @Test
    void refusesAnUnknownKeyOfTheGroupAndABadValue() {
        assertThatThrownBy(() -> IdentitySettings.from(settings(Map.of("identity.spf.timeout", "1s"))))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("identity.spf.timeout=1s");
        assertThatThrownBy(() -> IdentitySettings.from(settings(Map.of("identity.spf", "yes"))))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("identity.spf=yes");
        assertThatThrownBy(() -> IdentitySettings.from(settings(Map.of("identity.dns.timeout", "0s"))))
            .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void thePolicyLeavesTheGroupToItsReader() {
        settings(Map.of("identity.spf", "true")).rejectUnknownKeys("", Set.of(), "");
    }
}
