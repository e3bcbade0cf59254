package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.Mail;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.StaticDirectory;
import org.rcptguard.core.memory.MemoryVerificationCache;

/** The one look-up's answer: the class, the source that answered, whether it was cached, and why. */
class DirectoryAnswerTest {
    private final MutableClock clock = new MutableClock();
    private final MemoryVerificationCache cache = new MemoryVerificationCache(clock, 1000);

    private static RecipientDirectory backend(boolean catchAll, AtomicInteger asked) {
        return address -> {
            asked.incrementAndGet();
            if (address.asString().startsWith("broken")) {
                return Mail.answer(RecipientClass.UNDECIDED);
            }
            return Mail.answer(catchAll || Set.of("alice@example.net").contains(address.asString()) ? RecipientClass.VALID : RecipientClass.INVALID);
        };
    }

    private CallForwardSource callForward(boolean catchAll, AtomicInteger asked) {
        return new CallForwardSource(Domain.of("example.net"), backend(catchAll, asked), cache, Duration.ofHours(24), Duration.ofHours(1));
    }

    @Test
    void aListAnswerNamesTheListAndWhetherTheAddressIsListed(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("recipients.txt");
        Files.writeString(file, "alice@example.net\n");
        SourceChain chain = new SourceChain("example.net",
            List.of(new SourceChain.Named("list " + file.getFileName(), new StaticRecipientList(file, Duration.ofSeconds(1)))));

        assertThat(chain.lookUp(Mail.address("alice@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "list", false, "listed"));
        assertThat(chain.lookUp(Mail.address("carol@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, "list", false, "not listed"));
    }

    @Test
    void anSmtpAnswerIsCachedOnTheSecondLookup() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CallForwardSource source = callForward(false, asked);

        assertThat(source.lookUp(Mail.address("alice@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, null, false, "backend accepted"));
        int checks = asked.get();
        assertThat(source.lookUp(Mail.address("alice@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, null, true, "backend accepted"));
        assertThat(source.lookUp(Mail.address("carol@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, null, false, "backend refused"));
        assertThat(source.lookUp(Mail.address("carol@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, null, true, "backend refused"));
        assertThat(asked.get()).isEqualTo(checks + 1);
        assertThat(source.lookUp(Mail.address("broken@example.net")))
            .isEqualTo(new DirectoryAnswer(RecipientClass.UNDECIDED, null, false, "backend did not answer"));
    }

    @Test
    void aCatchAllBackendIsTheReason() throws Exception {
        CallForwardSource source = callForward(true, new AtomicInteger());
        AtomicInteger detections = new AtomicInteger();
        source.onCatchAllDetected(detections::incrementAndGet);

        assertThat(source.lookUp(Mail.address("whoever@example.net")))
            .isEqualTo(new DirectoryAnswer(RecipientClass.UNDECIDED, null, false, "catch-all backend"));
        assertThat(source.lookUp(Mail.address("whoever@example.net")))
            .isEqualTo(new DirectoryAnswer(RecipientClass.UNDECIDED, null, true, "catch-all backend"));
        assertThat(detections.get()).isEqualTo(1);
        assertThat(source.catchAllDetections()).isEqualTo(1);
    }

    @Test
    void theChainNamesTheSourceThatDecided() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SourceChain chain = new SourceChain("example.net", List.of(
            new SourceChain.Named("list recipients.txt", address -> Mail.answer(RecipientClass.INVALID)),
            new SourceChain.Named("smtp backend.example.net:25", callForward(false, asked))));

        assertThat(chain.lookUp(Mail.address("alice@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "smtp", false, "backend accepted"));
        assertThat(chain.lookUp(Mail.address("alice@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "smtp", true, "backend accepted"));
        // Every source said INVALID: the last one is named.
        assertThat(chain.lookUp(Mail.address("carol@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, "smtp", false, "backend refused"));
        // A failing source makes it UNDECIDED, and is named with its failure.
        SourceChain failing = new SourceChain("example.net", List.of(
            new SourceChain.Named("ldap ldap://directory", address -> {
                throw new IllegalStateException("down");
            }),
            new SourceChain.Named("list recipients.txt", address -> Mail.answer(RecipientClass.INVALID))));
        DirectoryAnswer answer = failing.lookUp(Mail.address("carol@example.net"));
        assertThat(answer.recipientClass()).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(answer.source()).isEqualTo("ldap");
        assertThat(answer.reason()).contains("down");
    }

    @Test
    void aSkippedSourceSaysItIsDown() throws Exception {
        CircuitBreakingSource breaker = new CircuitBreakingSource("smtp backend:25", address -> Mail.answer(RecipientClass.UNDECIDED), 1, Duration.ofMinutes(1));
        breaker.lookUp(Mail.address("a@example.net"));

        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.lookUp(Mail.address("a@example.net")).reason()).contains("source down");
    }

    @Test
    void aSlowSourceIsATimeoutAndHostedDomainsAreLeftToTheHostedDirectory() throws Exception {
        RecipientDirectory slow = address -> {
            Thread.sleep(5_000);
            return Mail.answer(RecipientClass.VALID);
        };
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofMillis(100), 2)) {
            DomainDirectory directory = new DomainDirectory(new StaticDirectory("hosted.example").valid("bob@hosted.example"),
                Map.of(Domain.of("example.net"), new SourceChain("example.net", List.of(new SourceChain.Named("ldap ldap://slow", slow)))), lookup);

            long start = System.nanoTime();
            assertThat(directory.lookUp(Mail.address("alice@example.net"))).isEqualTo(new DirectoryAnswer(RecipientClass.UNDECIDED, null, false, "timeout"));
            assertThat(directory.lookUp(Mail.address("bob@hosted.example")).recipientClass()).isEqualTo(RecipientClass.VALID);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
    }

    /** Longer than any SMTP path: unknown without asking the domain's sources (a backend would not answer 550 to it). */
    @Test
    void anAddressNoMailboxCanHaveIsUnknownWithoutALookUp() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (BoundedLookup lookup = new BoundedLookup(Duration.ofSeconds(1), 2)) {
            DomainDirectory directory = new DomainDirectory(new StaticDirectory("hosted.example"),
                Map.of(Domain.of("example.net"), new SourceChain("example.net",
                    List.of(new SourceChain.Named("smtp", callForward(false, asked))))), lookup);

            assertThat(directory.lookUp(Mail.address("x".repeat(5_000) + "@example.net")))
                .isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, null, false, "longer than any address"));
            assertThat(asked).hasValue(0);
        }
    }
}
