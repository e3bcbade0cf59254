package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.RecipientClass;

class BoundedLookupTest {
    @Test
    void aSlowSourceIsUndecidedAfterTheTimeout() {
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(100), Duration.ofMillis(100), 4)) {
            long start = System.nanoTime();
            RecipientClass answer = lookup.classify(address -> {
                Thread.sleep(5_000);
                return RecipientClass.VALID;
            }, "alice@example.net");
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer).isEqualTo(RecipientClass.UNDECIDED);
            assertThat(elapsedMillis).isBetween(90L, 1_000L);
            assertThat(lookup.timeouts()).isEqualTo(1);
        }
    }

    @Test
    void aFailingSourceIsUndecided() {
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(100), Duration.ZERO, 4)) {
            assertThat(lookup.classify(address -> {
                throw new IllegalStateException("down");
            }, "alice@example.net")).isEqualTo(RecipientClass.UNDECIDED);
        }
    }

    /** A dead directory and many sessions: no more than maxConcurrent threads ever wait on it, and no caller waits long. */
    @Test
    void aDeadDirectoryDoesNotPileUpThreads() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        int sessions = 64;
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(200), Duration.ofMillis(200), 4)) {
            ExecutorService smtpThreads = Executors.newFixedThreadPool(sessions);
            List<Future<Long>> replies = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < sessions; i++) {
                int n = i;
                replies.add(smtpThreads.submit(() -> {
                    long begin = System.nanoTime();
                    assertThat(lookup.classify(address -> {
                        // Like a socket read without a timeout: deaf to interruption.
                        while (never.getCount() > 0) {
                            try {
                                never.await();
                            } catch (InterruptedException ignored) {
                                // keep hanging
                            }
                        }
                        return RecipientClass.VALID;
                    }, "user" + n + "@example.net")).isEqualTo(RecipientClass.UNDECIDED);
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
     * The oracle promise at the directory: a source that is slow (200 ms, like an uncached SMTP check) for valid
     * recipients and fast (a cached negative answer) for invalid ones. With the floor, the two distributions of
     * lookup times coincide; without it (the control), they separate by about 200 ms, so the comparison does detect a
     * leak.
     */
    @Test
    void theFloorHidesWhetherTheAnswerWasSlowOrCached() {
        RecipientSource slowForValid = address -> {
            if (address.startsWith("valid")) {
                Thread.sleep(200);
                return RecipientClass.VALID;
            }
            return RecipientClass.INVALID;
        };
        Distributions floored = measure(slowForValid, Duration.ofMillis(250), 30);
        Distributions control = measure(slowForValid, Duration.ZERO, 15);
        System.out.println("floor 250ms   valid:   " + floored.valid);
        System.out.println("floor 250ms   invalid: " + floored.invalid);
        System.out.println("no floor      valid:   " + control.valid);
        System.out.println("no floor      invalid: " + control.invalid);

        assertThat(control.separated()).as("the control must separate, or the comparison proves nothing").isTrue();
        assertThat(floored.separated()).as("valid and invalid lookups must take the same time").isFalse();
    }

    private static Distributions measure(RecipientSource source, Duration floor, int each) {
        List<Long> valid = new ArrayList<>();
        List<Long> invalid = new ArrayList<>();
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(250), floor, 4)) {
            for (int i = 0; i < each; i++) {
                valid.add(time(lookup, source, "valid" + i + "@example.net"));
                invalid.add(time(lookup, source, "invalid" + i + "@example.net"));
            }
        }
        return new Distributions(new Distribution(valid), new Distribution(invalid));
    }

    private static long time(BoundedLookup lookup, RecipientSource source, String address) {
        long start = System.nanoTime();
        lookup.classify(source, address);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static final class Distributions {
        final Distribution valid;
        final Distribution invalid;

        Distributions(Distribution valid, Distribution invalid) {
            this.valid = valid;
            this.invalid = invalid;
        }

        /** Medians more than 50 ms apart: robust to a busy machine's outliers, far below the 200 ms a lookup leaks. */
        boolean separated() {
            return Math.abs(valid.percentile(50) - invalid.percentile(50)) > 50;
        }
    }

    static final class Distribution {
        private final List<Long> sorted;

        Distribution(List<Long> millis) {
            this.sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
        }

        long percentile(int p) {
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }

        @Override
        public String toString() {
            return String.format("n=%d min=%d p10=%d p50=%d p90=%d max=%d ms", sorted.size(), sorted.get(0),
                percentile(10), percentile(50), percentile(90), sorted.get(sorted.size() - 1));
        }
    }
}
