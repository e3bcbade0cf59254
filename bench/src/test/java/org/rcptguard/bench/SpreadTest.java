package org.rcptguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void medianOfAnOddAndAnEvenNumberOfRuns() {
        assertThat(Spread.of(List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
        assertThat(Spread.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
    }

    @Test
    void formatsMedianAndRange() {
        assertThat(Spread.of(List.of(10.0, 30.0, 20.0)).format("%.0f")).isEqualTo("20 (10–30)");
        assertThat(Spread.of(List.of()).format("%.0f")).isEqualTo("–");
    }

    @Test
    void ratiosPairTheRunsOfOneRound() {
        // Round 2 ran twice as fast for both targets (a quieter machine): its ratio is the same 0.5.
        Spread ratios = SmtpBenchmark.roundByRound(List.of(50.0, 100.0, 60.0), List.of(100.0, 200.0, 100.0));
        assertThat(ratios.format("%.2f")).isEqualTo("0.50 (0.50–0.60)");
        assertThat(SmtpBenchmark.roundByRound(List.of(50.0, 10.0), List.of(0.0, 20.0)).format("%.1f"))
            .isEqualTo("0.5 (0.5–0.5)");
        assertThat(SmtpBenchmark.roundByRound(List.of(50.0), List.of()).format("%.1f")).isEqualTo("–");
    }

    @Test
    void optionsRefuseUnknownNamesAndMissingValues() {
        Map<String, String> defaults = Map.of("rounds", "3");
        assertThat(new Options(new String[] {"--rounds", "5"}, defaults).integer("rounds")).isEqualTo(5);
        assertThatThrownBy(() -> new Options(new String[] {"--round", "5"}, defaults))
            .hasMessageContaining("--round").hasMessageContaining("rounds");
        assertThatThrownBy(() -> new Options(new String[] {"--rounds"}, defaults)).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> new Options(new String[] {"--rounds", "x"}, defaults).integer("rounds"))
            .hasMessageContaining("whole number");
    }
}
