package org.rcptguard.core.harvest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

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
}
