package org.rcptguard.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentilesAreExactOverEveryValue() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int millis = 1000; millis >= 1; millis--) {
            recorder.record(millis * 1_000_000L);
        }
        assertThat(recorder.percentileMillis(0.50)).isEqualTo(500.0);
        assertThat(recorder.percentileMillis(0.99)).isEqualTo(990.0);
        assertThat(recorder.percentileMillis(0.999)).isEqualTo(999.0);
        assertThat(recorder.percentileMillis(1.0)).isEqualTo(1000.0);
    }

    @Test
    void mergesRecordersAndAnswersZeroWhenEmpty() {
        LatencyRecorder merged = new LatencyRecorder();
        assertThat(merged.percentileMillis(0.5)).isZero();
        LatencyRecorder other = new LatencyRecorder();
        other.record(2_000_000);
        merged.record(1_000_000);
        merged.addAll(other);
        assertThat(merged.count()).isEqualTo(2);
        assertThat(merged.percentileMillis(1.0)).isEqualTo(2.0);
    }
}
