package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TimeToLiveTest {
    @Test
    void roundsUpAndAddsTheSecondCassandraFloorsAway() {
        assertThat(TimeToLive.seconds(Duration.ofSeconds(2))).isEqualTo(3);
        assertThat(TimeToLive.seconds(Duration.ofMillis(2001))).isEqualTo(4);
        assertThat(TimeToLive.seconds(Duration.ofMillis(1))).isEqualTo(2);
        assertThat(TimeToLive.seconds(Duration.ofDays(36))).isEqualTo(36 * 86400 + 1);
    }

    @Test
    void neverZeroNeverAboveCassandrasMaximum() {
        assertThat(TimeToLive.seconds(Duration.ZERO)).isEqualTo(1);
        assertThat(TimeToLive.seconds(Duration.ofSeconds(-5))).isEqualTo(1);
        assertThat(TimeToLive.seconds(Duration.ofDays(365 * 100))).isEqualTo(TimeToLive.MAX_SECONDS);
    }
}
