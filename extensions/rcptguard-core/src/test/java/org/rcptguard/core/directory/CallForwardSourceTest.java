package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.Mail;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.memory.MemoryVerificationCache;

class CallForwardSourceTest {
    private final MutableClock clock = new MutableClock();
    private final MemoryVerificationCache cache = new MemoryVerificationCache(clock, 1000);
    private final List<String> asked = new CopyOnWriteArrayList<>();

    /** A backend knowing alice and bob; refusing anything else unless it is a catch-all; failing on "broken". */
    private RecipientDirectory backend(boolean catchAll) {
        return address -> {
            asked.add(address.asString());
            if (address.asString().startsWith("broken")) {
                return Mail.answer(RecipientClass.UNDECIDED);
            }
            return Mail.answer(catchAll || Set.of("alice@example.net", "bob@example.net").contains(address.asString())
                ? RecipientClass.VALID : RecipientClass.INVALID);
        };
    }

    private CallForwardSource source(RecipientDirectory verifier) {
        return new CallForwardSource(Domain.of("example.net"), verifier, cache, Duration.ofHours(24), Duration.ofHours(1));
    }

    @Test
    void answersAreCachedWithTheirTtls() throws Exception {
        CallForwardSource source = source(backend(false));

        assertThat(source.classify(Mail.address("Alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.INVALID);
        long checks = source.checks();
        assertThat(source.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(source.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.INVALID);
        assertThat(source.checks()).isEqualTo(checks);

        clock.advance(Duration.ofMinutes(61));
        assertThat(source.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.INVALID);
        assertThat(asked.stream().filter("carol@example.net"::equals).count()).isEqualTo(2);
        assertThat(asked.stream().filter("alice@example.net"::equals).count()).isEqualTo(1);

        clock.advance(Duration.ofHours(24));
        assertThat(source.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(asked.stream().filter("alice@example.net"::equals).count()).isEqualTo(2);
    }

    @Test
    void anUndecidedAnswerIsNeverCached() throws Exception {
        CallForwardSource source = source(backend(false));

        assertThat(source.classify(Mail.address("broken@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(source.classify(Mail.address("broken@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(asked).containsExactly("broken@example.net", "broken@example.net");
    }

    @Test
    void aCatchAllBackendIsDetectedAndItsAnswersAreNotValid() throws Exception {
        CallForwardSource source = source(backend(true));

        assertThat(source.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(source.classify(Mail.address("whoever@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(source.catchAllDetected()).isTrue();
        assertThat(asked).anyMatch(address -> address.startsWith("rcptguard-probe-") && address.endsWith("@example.net"));
        // The probe is made once per negative TTL, and its result is shared through the cache.
        assertThat(asked.stream().filter(address -> address.startsWith("rcptguard-probe-")).count()).isEqualTo(1);

        CallForwardSource sameCluster = source(backend(false));
        assertThat(sameCluster.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.UNDECIDED);

        clock.advance(Duration.ofMinutes(61));
        assertThat(sameCluster.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(sameCluster.catchAllDetected()).isFalse();
    }

    @Test
    void concurrentLookupsOfOneAddressMakeOneCheck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecipientDirectory slow = address -> {
            asked.add(address.asString());
            release.await();
            return Mail.answer(address.asString().startsWith("rcptguard-probe-") ? RecipientClass.INVALID : RecipientClass.VALID);
        };
        CallForwardSource source = source(slow);
        ExecutorService sessions = Executors.newFixedThreadPool(8);
        List<Future<RecipientClass>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(sessions.submit(() -> source.classify(Mail.address("alice@example.net"))));
        }
        Thread.sleep(200);
        release.countDown();
        for (Future<RecipientClass> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(RecipientClass.VALID);
        }
        sessions.shutdown();
        assertThat(asked.stream().filter("alice@example.net"::equals).count()).isEqualTo(1);
    }
}
