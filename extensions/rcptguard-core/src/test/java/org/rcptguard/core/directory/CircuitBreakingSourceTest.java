package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.RecipientClass;

class CircuitBreakingSourceTest {
    @Test
    void aFailingSourceIsSkippedDuringTheCoolDownThenTriedAgain() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        CircuitBreakingSource source = new CircuitBreakingSource("ldap", address -> {
            calls.incrementAndGet();
            if (down.get()) {
                throw new java.io.IOException("connection refused");
            }
            return RecipientClass.VALID;
        }, 3, Duration.ofMillis(200));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> source.classify("alice@example.net")).isInstanceOf(java.io.IOException.class);
        }
        assertThat(source.isOpen()).isTrue();
        assertThat(source.classify("alice@example.net")).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(calls).hasValue(3);

        down.set(false);
        Thread.sleep(250);
        assertThat(source.classify("alice@example.net")).isEqualTo(RecipientClass.VALID);
        assertThat(source.isOpen()).isFalse();
        assertThat(calls).hasValue(4);
    }

    @Test
    void undecidedAnswersCountAsFailuresAndASuccessResetsTheCount() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CircuitBreakingSource source = new CircuitBreakingSource("smtp", address -> {
            calls.incrementAndGet();
            return address.startsWith("ok") ? RecipientClass.INVALID : RecipientClass.UNDECIDED;
        }, 3, Duration.ofSeconds(60));

        source.classify("a@example.net");
        source.classify("b@example.net");
        source.classify("ok@example.net");
        source.classify("c@example.net");
        source.classify("d@example.net");
        assertThat(source.isOpen()).isFalse();
        source.classify("e@example.net");
        assertThat(source.isOpen()).isTrue();
        assertThat(source.classify("ok@example.net")).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(calls).hasValue(6);
    }
}
