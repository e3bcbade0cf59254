package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rcptguard.core.Decision.Outcome;

/**
 * The promises of docs/design.md, "The promises", checked over long random conversations (fixed seeds, so a failure replays): random
 * clients in a few networks, senders, valid and unknown recipients, transactions and clock jumps.
 */
class PromisesTest {
    private static final List<String> CLIENTS = List.of("192.0.2.1", "192.0.2.2", "198.51.100.1", "203.0.113.9", "2001:db8::1");
    private static final List<String> SENDERS = List.of("a@one.example", "b+x@two.example", "", "bounce-77@three.example");
    private static final List<String> RECIPIENTS = List.of("alice@example.com", "bob@example.com", "Alice@EXAMPLE.com",
        "nobody@example.com", "ghost@example.com", "x1@example.com", "x2@example.com", "x3@example.com", "x4@example.com", "later@example.com");

    @ParameterizedTest
    @CsvSource({
        "defer-after-change, rcpt, 1", "defer-after-change, data, 2", "same-class, rcpt, 3", "same-class, data, 4",
        "one-recipient-per-transaction, rcpt, 5", "one-recipient-per-transaction, data, 6"
    })
    void holdOverRandomConversations(String mixedMode, String rejectMode, long seed) {
        PolicyFixture fixture = new PolicyFixture("mixed.mode", mixedMode, "reject.mode", rejectMode,
            "scan.threshold", "4", "autowhitelist.passes", "3");
        // An address the directory cannot tell (its backend down) is neither accepted nor refused.
        fixture.directory.undecided("later@example.com");
        Random random = new Random(seed);
        EnumSet<Outcome> seen = EnumSet.noneOf(Outcome.class);

        for (int conversation = 0; conversation < 3000; conversation++) {
            PolicyFixture.Transaction transaction = fixture.transaction(pick(random, CLIENTS), pick(random, SENDERS));
            List<Decision> accepted = new ArrayList<>();
            int recipients = 1 + random.nextInt(4);
            for (int i = 0; i < recipients; i++) {
                String recipient = pick(random, RECIPIENTS);
                RecipientClass truth = fixture.directory.lookUp(Mail.address(recipient)).recipientClass();
                Decision decision = transaction.rcpt(recipient);
                seen.add(decision.outcome());

                // 1 + 2: never a 5xx for a recipient not known unknown; an unknown one is never let through unknowingly.
                if (truth != RecipientClass.INVALID) {
                    assertThat(decision.outcome()).isNotIn(Outcome.REJECT_UNKNOWN_USER, Outcome.ACCEPT_FOR_DATA_REJECTION);
                }
                if (truth != RecipientClass.VALID) {
                    // Unknown or undecided recipients are never let through; left to James only for trusted clients.
                    assertThat(decision.outcome()).isNotIn(Outcome.PASS, Outcome.ACCEPT);
                    if (decision.outcome() == Outcome.NOT_MINE) {
                        assertThat(decision.reason()).isEqualTo(Decision.Reason.AUTO_WHITELISTED);
                    }
                }
                // 3: before passing, the reply waited for no look-up of the recipient, so it cannot depend on its class.
                if (decision.reason() == Decision.Reason.GREYLISTED || decision.reason() == Decision.Reason.PENALISED) {
                    assertThat(decision.recipientClass()).as("%s for %s", decision, recipient).isEmpty();
                }
                if (decision.reason() == Decision.Reason.PASSED || decision.outcome() == Outcome.ACCEPT_FOR_DATA_REJECTION) {
                    accepted.add(decision);
                }
            }
            // 4: all recipients accepted in one transaction are of one class.
            assertThat(accepted.stream().map(decision -> decision.recipientClass().orElseThrow()).distinct().count())
                .isLessThanOrEqualTo(1);
            assertThat(transaction.state().rejectAfterData())
                .isEqualTo(accepted.stream().anyMatch(decision -> decision.outcome() == Outcome.ACCEPT_FOR_DATA_REJECTION));
            fixture.clock.advance(Duration.ofSeconds(random.nextInt(600)));
        }
        // The conversations reached the rules they are meant to exercise.
        assertThat(seen).contains(Outcome.DEFER, Outcome.PASS, Outcome.NOT_MINE);
        assertThat(seen).containsAnyOf(Outcome.REJECT_UNKNOWN_USER, Outcome.ACCEPT_FOR_DATA_REJECTION, Outcome.DEFER_RECIPIENT_LIMIT);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
