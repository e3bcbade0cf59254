package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;

class BoundedLookupTest {
    @Test
    void aSlowSourceIsUndecidedAfterTheTimeout() {
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(100), 4)) {
            long start = System.nanoTime();
            RecipientClass answer = lookup.lookUp(address -> {
                Thread.sleep(5_000);
                return Mail.answer(RecipientClass.VALID);
            }, Mail.address("alice@example.net")).recipientClass();
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer).isEqualTo(RecipientClass.UNDECIDED);
            assertThat(elapsedMillis).isBetween(90L, 1_000L);
            assertThat(lookup.timeouts()).isEqualTo(1);
        }
    }

    @Test
    void aFailingSourceIsUndecided() {
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(100), 4)) {
            assertThat(lookup.lookUp(address -> {
                throw new IllegalStateException("down");
            }, Mail.address("alice@example.net")).recipientClass()).isEqualTo(RecipientClass.UNDECIDED);
        }
    }

    /** A dead directory and many sessions: no more than maxConcurrent threads ever wait on it, and no caller waits long. */
    @Test
    void aDeadDirectoryDoesNotPileUpThreads() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        int sessions = 64;
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(200), 4)) {
            ExecutorService smtpThreads = Executors.newFixedThreadPool(sessions);
            List<Future<Long>> replies = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < sessions; i++) {
                int n = i;
                replies.add(smtpThreads.submit(() -> {
                    long begin = System.nanoTime();
                    assertThat(lookup.lookUp(address -> {
                        // Like a socket read without a timeout: deaf to interruption.
                        while (never.getCount() > 0) {
                            try {
                                never.await();
                            } catch (InterruptedException ignored) {
                                // keep hanging
                            }
                        }
                        return Mail.answer(RecipientClass.VALID);
                    }, Mail.address("user" + n + "@example.net")).recipientClass()).isEqualTo(RecipientClass.UNDECIDED);
                    return (System.nanoTime() - begin) / 1_000_000;
                }));
            }
            long worst = 0;
            for (Future<Long> reply : replies) {
                worst = Math.max(worst, reply.get(10, TimeUnit.SECONDS));
            }
            long total = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("dead directory, %d concurrent lookups: worst reply %d ms, all answered in %d ms, "
                + "lookups in flight %d (max 4), busy-rejected %d, timed out %d%n",
                sessions, worst, total, lookup.inFlight(), lookup.rejectedBusy(), lookup.timeouts());
            assertThat(worst).isLessThan(2_000);
            assertThat(lookup.inFlight()).isEqualTo(4);
            assertThat(lookup.rejectedBusy()).isGreaterThan(0);
            smtpThreads.shutdownNow();
        } finally {
            never.countDown();
        }
    }

    /**
     * A look-up that times out before its thread has started it is cancelled and never runs: its permit must come back
     * all the same, or a few such timeouts under load leave every later look-up "directory busy" for good.
     */
    @Test
    void aLookupCancelledBeforeItStartsGivesItsPermitBack() throws Exception {
        try (BoundedLookup lookup = new BoundedLookup(Duration.ZERO, 1)) {
            for (int i = 0; i < 200; i++) {
                assertThat(lookup.lookUp(address -> Mail.answer(RecipientClass.VALID), Mail.address("user" + i + "@example.net"))
                    .reason()).as("look-up %d", i).isNotEqualTo("directory busy");
                awaitNoneInFlight(lookup);
            }
            assertThat(lookup.rejectedBusy()).isZero();
        }
    }

    private static void awaitNoneInFlight(BoundedLookup lookup) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lookup.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
