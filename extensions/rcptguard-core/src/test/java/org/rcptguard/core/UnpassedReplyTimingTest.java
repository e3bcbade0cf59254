package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.directory.BoundedLookup;
import org.rcptguard.core.directory.DomainDirectory;
import org.rcptguard.core.directory.SourceChain;
import org.rcptguard.core.memory.MemoryStores;

/**
 * docs/design.md, "No oracle before greylisting", in time: on a chained domain (example.net) looked up through a
 * {@link BoundedLookup}, a first contact's deferral takes the same time whether the recipient is valid or not, its
 * answer slow (an uncached SMTP check), cached or failing at once, because the reply waits for no look-up at all.
 * The control: the same recipients once their triplets passed, whose replies do wait for the directory, separate.
 */
class UnpassedReplyTimingTest {
    private static final Duration DELAY = Duration.ofMinutes(5);

    private final BoundedLookup lookup = new BoundedLookup(Duration.ofSeconds(1), 4);
    private final BoundedBackgroundLookups background = new BoundedBackgroundLookups(2, 1000, () -> { });
    private final MutableClock clock = new MutableClock();

    @AfterEach
    void close() {
        background.close();
        lookup.close();
    }

    @Test
    void validAndUnknownRecipientsAreDeferredAsFastWhateverTheLookUpCosts() throws Exception {
        AtomicInteger lookUps = new AtomicInteger();
        RecipientDirectory slowForValid = address -> {
            lookUps.incrementAndGet();
            if (address.getLocalPart().startsWith("valid")) {
                Thread.sleep(200);
                return Mail.answer(RecipientClass.VALID);
            }
            return Mail.answer(RecipientClass.INVALID);
        };
        RcptPolicy policy = policy(new SourceChain.Named("smtp", slowForValid));

        Distributions unpassed = measure(policy, 20);
        // The background look-ups (which share the directory's bound with the passed ones) are done.
        await().atMost(Duration.ofSeconds(30)).until(() -> lookUps.get() == 40);
        clock.advance(DELAY);
        Distributions passed = measure(policy, 10);
        System.out.println("unpassed  valid:   " + unpassed.valid);
        System.out.println("unpassed  invalid: " + unpassed.invalid);
        System.out.println("passed    valid:   " + passed.valid);
        System.out.println("passed    invalid: " + passed.invalid);

        assertThat(passed.separated()).as("the control must separate, or the comparison proves nothing").isTrue();
        assertThat(unpassed.separated()).as("valid and invalid deferrals must take the same time").isFalse();
        assertThat(unpassed.valid.percentile(90)).as("a deferral waits for no look-up").isLessThan(100);
    }

    /** A domain whose list answers while its backend is down: both deferrals are the same, at once. */
    @Test
    void aSourceFailingAtOnceIsDeferredLikeAnAnswer() throws Exception {
        RecipientDirectory list = address -> Mail.answer(address.getLocalPart().startsWith("listed") ? RecipientClass.VALID
            : RecipientClass.INVALID);
        RecipientDirectory down = address -> {
            throw new IllegalStateException("connection refused");
        };
        RcptPolicy policy = policy(new SourceChain.Named("list", list), new SourceChain.Named("smtp", down));

        Decision listed = decide(policy, "listed@example.net");
        Decision unlisted = decide(policy, "unlisted@example.net");

        assertThat(List.of(listed, unlisted)).allSatisfy(decision -> {
            assertThat(decision.outcome()).isEqualTo(Outcome.DEFER);
            assertThat(decision.reason()).isEqualTo(Reason.GREYLISTED);
        });
    }

    private RcptPolicy policy(SourceChain.Named... sources) {
        DomainDirectory directory = new DomainDirectory(new StaticDirectory("hosted.example"),
            Map.of(Domain.of("example.net"), new SourceChain("example.net", List.of(sources))), lookup);
        RcptGuardConfiguration configuration = configuration();
        return RcptPolicy.create(directory, new MemoryStores(clock, configuration), configuration, clock,
            () -> Whitelist.EMPTY, background, PenaltyListener.NONE, Deployment.HOSTED);
    }

    private static RcptGuardConfiguration configuration() {
        Properties properties = new Properties();
        properties.setProperty("greylist.delay", "5m");
        properties.setProperty("scan.threshold", "1000");
        properties.setProperty("autowhitelist.passes", "0");
        return RcptGuardConfiguration.fromProperties(properties);
    }

    private static Decision decide(RcptPolicy policy, String recipient) throws Exception {
        return policy.decide(new RcptRequest(InetAddress.getByName("192.0.2.7"), false, false, Mail.sender("a@sender.example"),
            Mail.address(recipient)),
            TransactionState.EMPTY);
    }

    private static long timeOf(RcptPolicy policy, String recipient) throws Exception {
        long start = System.nanoTime();
        decide(policy, recipient);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Distributions measure(RcptPolicy policy, int each) throws Exception {
        List<Long> valid = new ArrayList<>();
        List<Long> invalid = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            valid.add(timeOf(policy, "valid" + i + "@example.net"));
            invalid.add(timeOf(policy, "invalid" + i + "@example.net"));
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
