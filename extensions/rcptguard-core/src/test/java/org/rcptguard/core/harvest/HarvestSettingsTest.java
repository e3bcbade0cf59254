package org.rcptguard.core.harvest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptGuardSettings;

class HarvestSettingsTest {
    @Test
    void theDefaultsAreTheArguedOnes() {
        HarvestSettings defaults = HarvestSettings.DEFAULTS;

        assertThat(defaults.window()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.unknownThreshold()).isEqualTo(300);
        assertThat(defaults.networksThreshold()).isEqualTo(50);
        assertThat(defaults.refresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.scanThreshold()).isEqualTo(1);
        assertThat(defaults.delayFactor()).isEqualTo(3);
        assertThat(defaults.maxCounted()).isEqualTo(1200);
    }

    @Test
    void anUnusableValueIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> new HarvestSettings(Duration.ZERO, 300, 50, Duration.ofSeconds(30), 1, 3))
            .hasMessageContaining(HarvestSettings.WINDOW);
        assertThatThrownBy(() -> new HarvestSettings(Duration.ofHours(1), 0, 50, Duration.ofSeconds(30), 1, 3))
            .hasMessageContaining(HarvestSettings.UNKNOWN_THRESHOLD + "=0");
        assertThatThrownBy(() -> new HarvestSettings(Duration.ofHours(1), 300, 50, Duration.ofSeconds(30), 1, 0))
            .hasMessageContaining(HarvestSettings.DELAY_FACTOR + "=0");
    }

    private static RcptGuardSettings settings(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return RcptGuardSettings.of(properties);
    }

    @Test
    void theHarvestGroupIsReadFromRcptguardProperties() {
        HarvestSettings read = RcptGuardConfiguration.from(settings("harvest.window", "10m", "harvest.unknown.threshold", "40",
            "harvest.networks.threshold", "8", "harvest.refresh", "2s", "harvest.scan.threshold", "0",
            "harvest.delay.factor", "2")).harvest();

        assertThat(read.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(read.unknownThreshold()).isEqualTo(40);
        assertThat(read.networksThreshold()).isEqualTo(8);
        assertThat(read.refresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(read.scanThreshold()).isZero();
        assertThat(read.delayFactor()).isEqualTo(2);
        assertThat(RcptGuardConfiguration.defaults().harvest().toString()).isEqualTo(HarvestSettings.DEFAULTS.toString());
    }

    @Test
    void theGroupRefusesItsUnknownKeysAndUnusableValuesNamingTheKey() {
        assertThatThrownBy(() -> HarvestSettings.from(settings("harvest.windw", "1h")))
            .hasMessageContaining("harvest.windw=1h").hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> HarvestSettings.from(settings("harvest.delay.factor", "0")))
            .hasMessageContaining("harvest.delay.factor=0");
        assertThatThrownBy(() -> HarvestSettings.from(settings("harvest.window", "1m", "harvest.refresh", "1m")))
            .hasMessageContaining("harvest.refresh=1m").hasMessageContaining("shorter than harvest.window (1m)");
    }
}
