package org.rcptguard.james.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.configuration2.MapConfiguration;
import org.rcptguard.core.RcptGuardSettings;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.content.ContentProfile;
import org.rcptguard.core.content.OnFailure;

class ContentSettingsTest {
    private static ContentSettings of(Map<String, Object> settings) {
        return ContentSettings.from(RcptGuardSettings.of(new MapConfiguration(settings)));
    }

    @Test
    void noScannerByDefault() {
        ContentSettings settings = of(Map.of("greylist.delay", "5m"));
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.scanTrustedClients()).isTrue();
    }

    @Test
    void readsEachScannersSettingsWithDefaults() {
        ContentSettings settings = of(Map.of("content.rspamd.url", "http://127.0.0.1:11333", "content.rspamd.timeout", "3s",
            "content.rspamd.on-failure", "accept", "content.clamd.address", "127.0.0.1:3310", "content.clamd.max-size", "10M",
            "content.opt-out", "abuse@, postmaster@", "content.strict", "example.net", "content.trusted-clients", "skip"));
        assertThat(settings.rspamd().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.rspamd().orElseThrow().onFailure()).isEqualTo(OnFailure.ACCEPT);
        assertThat(settings.rspamd().orElseThrow().maxSize()).isEqualTo(20L * 1024 * 1024);
        assertThat(settings.clamd().orElseThrow().onFailure()).isEqualTo(OnFailure.DEFER);
        assertThat(settings.clamd().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.clamd().orElseThrow().maxSize()).isEqualTo(10L * 1024 * 1024);
        assertThat(settings.policy().profileOf("postmaster@example.org")).isEqualTo(ContentProfile.OPT_OUT);
        assertThat(settings.policy().profileOf("alice@example.net")).isEqualTo(ContentProfile.STRICT);
        assertThat(settings.scanTrustedClients()).isFalse();
        assertThat(settings.strictRejectScore().getAsDouble()).isEqualTo(6.0);
    }

    @Test
    void anUnknownContentKeyIsAStartUpErrorNamingIt() {
        assertThatThrownBy(() -> of(Map.of("content.rspamd.uri", "http://x")))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("content.rspamd.uri");
    }

    @Test
    void aBadValueIsAStartUpErrorNamingKeyAndValue() {
        for (Map.Entry<String, String> bad : Map.of("content.rspamd.timeout", "soon", "content.clamd.address", "localhost",
            "content.rspamd.on-failure", "ignore", "content.trusted-clients", "maybe", "content.strict.reject-score", "high",
            "content.rspamd.max-size", "huge").entrySet()) {
            Map<String, Object> settings = new HashMap<>(Map.of("content.rspamd.url", "http://127.0.0.1:11333",
                "content.clamd.address", "127.0.0.1:3310"));
            settings.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> of(settings)).as(bad.getKey())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(bad.getKey()).hasMessageContaining(bad.getValue());
        }
        assertThatThrownBy(() -> of(Map.of("content.rspamd.url", "ftp://x")))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("content.rspamd.url");
    }
}
