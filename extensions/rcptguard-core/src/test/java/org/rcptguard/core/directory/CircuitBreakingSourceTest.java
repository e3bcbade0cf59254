package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;

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
            return Mail.answer(RecipientClass.VALID);
        }, 3, Duration.ofMillis(200));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> source.classify(Mail.address("alice@example.net"))).isInstanceOf(java.io.IOException.class);
        }
        assertThat(source.isOpen()).isTrue();
        assertThat(source.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(calls).hasValue(3);

        down.set(false);
        Thread.sleep(250);
        assertThat(source.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.isOpen()).isFalse();
        assertThat(calls).hasValue(4);
    }

    @Test
    void undecidedAnswersCountAsFailuresAndASuccessResetsTheCount() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CircuitBreakingSource source = new CircuitBreakingSource("smtp", address -> {
            calls.incrementAndGet();
            return Mail.answer(address.asString().startsWith("ok") ? RecipientClass.INVALID : RecipientClass.UNDECIDED);
        }, 3, Duration.ofSeconds(60));

        source.classify(Mail.address("a@example.net"));
        source.classify(Mail.address("b@example.net"));
        source.classify(Mail.address("ok@example.net"));
        source.classify(Mail.address("c@example.net"));
        source.classify(Mail.address("d@example.net"));
        assertThat(source.isOpen()).isFalse();
        source.classify(Mail.address("e@example.net"));
        assertThat(source.isOpen()).isTrue();
        assertThat(source.classify(Mail.address("ok@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(calls).hasValue(6);
    }
}
