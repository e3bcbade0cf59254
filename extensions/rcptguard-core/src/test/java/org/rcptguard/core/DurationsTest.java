package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "30,PT30S", "5m,PT5M", "2h,PT2H", "36d,PT864H", "1w,PT168H", " 5M ,PT5M"})
    void parsesWhatAnOperatorWrites(String text, String expected) {
        assertThat(Durations.parse("k", text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5 minutes", "-5m", "5y", "1.5h", "m"})
    void rejectsAnythingElseNamingTheKey(String text) {
        assertThatThrownBy(() -> Durations.parse("greylist.delay", text))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("greylist.delay=" + text);
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT30S,30s", "PT5M,5m", "PT2H,2h", "PT864H,36d"})
    void formatsBackToTheShortForm(String duration, String expected) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
    }
}
