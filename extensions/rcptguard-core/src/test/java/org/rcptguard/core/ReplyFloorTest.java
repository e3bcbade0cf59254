package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.directory.BoundedLookup;
import org.rcptguard.core.directory.DomainDirectory;
import org.rcptguard.core.directory.SourceChain;

/**
 * Promise 3 in time, on a chained domain (example.net) looked up through a {@link BoundedLookup}: what a lookup's time
 * could tell (a slow backend, a cached answer, a source failing at once) is hidden by the floor for the replies that
 * hide the class, and only for those.
 */
class ReplyFloorTest {
    private static final Duration FLOOR = Duration.ofMillis(250);
    private static final Decision GREYLISTED = new Decision(Outcome.DEFER, Reason.GREYLISTED, RecipientClass.VALID, TransactionState.EMPTY);
    private static final Decision PASSED = new Decision(Outcome.DECLINE, Reason.PASSED, RecipientClass.VALID, TransactionState.EMPTY);

    private final BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(250), 4);

    @AfterEach
    void close() {
        lookup.close();
    }

    @Test
    void onlyADeferralThatHidesTheClassWaitsForTheFloor() {
        DomainDirectory directory = directory(address -> Mail.answer(RecipientClass.VALID), FLOOR);
        ReplyFloor floor = new ReplyFloor(directory);

        assertThat(held(floor, GREYLISTED, "alice@example.net")).isGreaterThanOrEqualTo(FLOOR.toMillis());
        assertThat(held(floor, new Decision(Outcome.DEFER, Reason.PENALISED, RecipientClass.INVALID, TransactionState.EMPTY),
            "nobody@example.net")).isGreaterThanOrEqualTo(FLOOR.toMillis());
        // A passed triplet's reply tells the class anyway; a store failure is the same for every recipient.
        assertThat(held(floor, PASSED, "alice@example.net")).isLessThan(FLOOR.toMillis() / 2);
        assertThat(held(floor, new Decision(Outcome.TEMPORARY_FAILURE, Reason.STORE_FAILURE, null, TransactionState.EMPTY),
            "alice@example.net")).isLessThan(FLOOR.toMillis() / 2);
        // Hosted domains are answered in memory: no floor.
        assertThat(held(floor, GREYLISTED, "bob@hosted.example")).isLessThan(FLOOR.toMillis() / 2);
    }

    /**
     * A domain whose list answers while its backend is down: the listed address is VALID at once, the others
     * UNDECIDED at once (connection refused). Both deferrals take the floor.
     */
    @Test
    void aSourceFailingAtOnceIsHiddenLikeAnAnswer() throws Exception {
        RecipientDirectory list = address -> Mail.answer(address.asString().equals("listed@example.net") ? RecipientClass.VALID : RecipientClass.INVALID);
        RecipientDirectory down = address -> {
            throw new IllegalStateException("connection refused");
        };
        DomainDirectory directory = new DomainDirectory(new StaticDirectory("hosted.example"), Map.of(Domain.of("example.net"),
            new SourceChain("example.net", List.of(new SourceChain.Named("list", list), new SourceChain.Named("smtp", down)))),
            lookup, FLOOR);
        ReplyFloor floor = new ReplyFloor(directory);

        assertThat(timeOfDeferral(directory, floor, "listed@example.net")).isGreaterThanOrEqualTo(FLOOR.toMillis());
        assertThat(timeOfDeferral(directory, floor, "unlisted@example.net")).isGreaterThanOrEqualTo(FLOOR.toMillis());
    }

    /**
     * A source slow (200 ms, like an uncached SMTP check) for valid recipients and fast (a cached negative answer) for
     * invalid ones. With the floor the two distributions of reply times coincide; without it (the control) they
     * separate by about 200 ms, so the comparison does detect a leak.
     */
    @Test
    void theFloorHidesWhetherTheAnswerWasSlowOrCached() throws Exception {
        RecipientDirectory slowForValid = address -> {
            if (address.asString().startsWith("valid")) {
                Thread.sleep(200);
                return Mail.answer(RecipientClass.VALID);
            }
            return Mail.answer(RecipientClass.INVALID);
        };
        Distributions floored = measure(directory(slowForValid, FLOOR), 30);
        Distributions control = measure(directory(slowForValid, Duration.ZERO), 15);
        System.out.println("floor 250ms   valid:   " + floored.valid);
        System.out.println("floor 250ms   invalid: " + floored.invalid);
        System.out.println("no floor      valid:   " + control.valid);
        System.out.println("no floor      invalid: " + control.invalid);

        assertThat(control.separated()).as("the control must separate, or the comparison proves nothing").isTrue();
        assertThat(floored.separated()).as("valid and invalid deferrals must take the same time").isFalse();
    }

    private DomainDirectory directory(RecipientDirectory source, Duration floor) {
        return new DomainDirectory(new StaticDirectory("hosted.example").valid("bob@hosted.example"),
            Map.of(Domain.of("example.net"), new SourceChain("example.net", List.of(new SourceChain.Named("smtp", source)))), lookup, floor);
    }

    private static long held(ReplyFloor floor, Decision decision, String recipient) {
        long start = System.nanoTime();
        floor.hold(decision, Mail.address(recipient), start);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The time of a whole deferral: the lookup, then the floor, as the RCPT hook does. */
    private static long timeOfDeferral(DomainDirectory directory, ReplyFloor floor, String address) throws Exception {
        long start = System.nanoTime();
        directory.classify(Mail.address(address));
        floor.hold(GREYLISTED, Mail.address(address), start);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Distributions measure(DomainDirectory directory, int each) throws Exception {
        ReplyFloor floor = new ReplyFloor(directory);
        List<Long> valid = new ArrayList<>();
        List<Long> invalid = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            valid.add(timeOfDeferral(directory, floor, "valid" + i + "@example.net"));
            invalid.add(timeOfDeferral(directory, floor, "invalid" + i + "@example.net"));
        }
        return new Distributions(new Distribution(valid), new Distribution(invalid));
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

    private static final class Distribution {
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
