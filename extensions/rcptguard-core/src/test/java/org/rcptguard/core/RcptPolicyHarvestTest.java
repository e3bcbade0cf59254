package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.core.Decision.Outcome.DEFER;
import static org.rcptguard.core.Decision.Outcome.PASS;
import static org.rcptguard.core.Decision.Outcome.REJECT_UNKNOWN_USER;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.Decision.Reason;

/**
 * The harvest response at RCPT, with a hand-moved clock and the harvest state refreshed by hand: a botnet spread over
 * many networks puts the domain under harvest, its networks are penalised at their next unknown recipient and wait
 * three delays, a reputable network keeps its ordinary rules, and everything is ordinary again one window after the
 * probes stopped.
 */
class RcptPolicyHarvestTest {
    private static final Duration DELAY = Duration.ofMinutes(5);
    private static final String LEGITIMATE = "203.0.113.9";
    private static final int BOTNET_NETWORKS = 10;

    private final PolicyFixture fixture = new PolicyFixture("scan.threshold", "10", "harvest.unknown.threshold", "20",
        "harvest.networks.threshold", "5", "harvest.window", "1h", "harvest.refresh", "30s");

    /** Each of 10 /24s names 3 candidates: under the per-network threshold, 30 unknown recipients for the domain. */
    private void botnetFirstPass() {
        for (int network = 0; network < BOTNET_NETWORKS; network++) {
            for (int guess = 0; guess < 3; guess++) {
                Decision decision = fixture.rcpt(bot(network), "bot@spam.example", "guess" + network + "-" + guess + "@example.com");
                assertThat(decision.outcome()).isEqualTo(DEFER);
            }
        }
    }

    private static String bot(int network) {
        return "10.0." + network + ".7";
    }

    @BeforeEach
    void aReputableNetworkPassedBeforeTheHarvest() {
        fixture.rcpt(LEGITIMATE, "partner@partner.example", "alice@example.com");
        fixture.clock.advance(DELAY);
        assertThat(fixture.rcpt(LEGITIMATE, "partner@partner.example", "alice@example.com").outcome()).isEqualTo(PASS);
    }

    @Test
    void aBotnetOverManyNetworksPutsTheDomainUnderHarvest() {
        botnetFirstPass();
        assertThat(fixture.penalties).as("no network went over the ordinary threshold").isEmpty();

        fixture.harvestState.refresh();

        assertThat(fixture.harvestState.underHarvest("example.com")).isTrue();
        assertThat(fixture.harvestState.underHarvest("example.org")).isFalse();
    }

    @Test
    void eachBotnetNetworkIsPenalisedAtItsNextUnknownRecipientAndItsRetriesLearnNothing() {
        botnetFirstPass();
        fixture.harvestState.refresh();
        fixture.clock.advance(DELAY);

        Decision retry = fixture.rcpt(bot(0), "bot@spam.example", "guess0-0@example.com");

        assertThat(retry.outcome()).as("the ordinary delay is no longer enough").isEqualTo(DEFER);
        assertThat(retry.reason()).isEqualTo(Reason.GREYLISTED);
        assertThat(retry.isUnderHarvest()).isTrue();
        assertThat(fixture.penalties).as("3 distinct unknown recipients against a threshold of 1").hasSize(1);
        assertThat(fixture.penalties.get(0).level()).isEqualTo(2);

        fixture.clock.advance(DELAY.multipliedBy(2));
        Decision unknown = fixture.rcpt(bot(0), "bot@spam.example", "guess0-1@example.com");
        Decision valid = fixture.rcpt(bot(0), "bot@spam.example", "bob@example.com");
        assertThat(unknown.outcome()).isEqualTo(DEFER);
        assertThat(unknown.reason()).isEqualTo(Reason.PENALISED);
        assertThat(valid.outcome()).as("a valid address is not told apart").isEqualTo(DEFER);
        assertThat(valid.reason()).isEqualTo(Reason.PENALISED);
        assertThat(valid.recipientClass()).isEmpty();
    }

    @Test
    void beforePassingValidAndUnknownRecipientsStillGetTheSameReply() {
        botnetFirstPass();
        fixture.harvestState.refresh();

        Decision valid = fixture.rcpt("198.51.100.7", "new@sender.example", "bob@example.com");
        Decision unknown = fixture.rcpt("198.51.100.7", "new@sender.example", "nobody@example.com");

        assertThat(valid.outcome()).isEqualTo(unknown.outcome()).isEqualTo(DEFER);
        assertThat(valid.reason()).isEqualTo(unknown.reason()).isEqualTo(Reason.GREYLISTED);
        assertThat(valid.recipientClass()).isEmpty();
        assertThat(unknown.recipientClass()).isEmpty();
    }

    @Test
    void aLegitimateNewSenderIsDeliveredAfterOneLongerDelayAndItsUnknownRecipientStillRejected() {
        botnetFirstPass();
        fixture.harvestState.refresh();
        String newcomer = "198.51.100.7";
        fixture.rcpt(newcomer, "new@sender.example", "bob@example.com");

        fixture.clock.advance(DELAY);
        assertThat(fixture.rcpt(newcomer, "new@sender.example", "bob@example.com").outcome()).isEqualTo(DEFER);
        fixture.clock.advance(DELAY.multipliedBy(2));
        assertThat(fixture.rcpt(newcomer, "new@sender.example", "bob@example.com").outcome()).isEqualTo(PASS);

        // once it has reputation, its typo is an ordinary 550 after its own (ordinary) delay, never a 250
        fixture.rcpt(newcomer, "new@sender.example", "bobb@example.com");
        fixture.clock.advance(DELAY);
        assertThat(fixture.rcpt(newcomer, "new@sender.example", "bobb@example.com").outcome()).isEqualTo(REJECT_UNKNOWN_USER);
    }

    @Test
    void aReputableNetworkKeepsFlowing() {
        botnetFirstPass();
        fixture.harvestState.refresh();

        Decision known = fixture.rcpt(LEGITIMATE, "partner@partner.example", "alice@example.com");
        assertThat(known.outcome()).isEqualTo(PASS);
        assertThat(known.isUnderHarvest()).isFalse();

        fixture.rcpt(LEGITIMATE, "colleague@partner.example", "bob@example.com");
        fixture.clock.advance(DELAY);
        Decision newTriplet = fixture.rcpt(LEGITIMATE, "colleague@partner.example", "bob@example.com");
        assertThat(newTriplet.outcome()).as("the ordinary delay").isEqualTo(PASS);
    }

    @Test
    void theHarvestEndsOneWindowAfterTheProbesStopped() {
        botnetFirstPass();
        fixture.harvestState.refresh();
        assertThat(fixture.harvestState.underHarvest("example.com")).isTrue();

        fixture.clock.advance(Duration.ofMinutes(61));
        fixture.harvestState.refresh();

        assertThat(fixture.harvestState.underHarvest("example.com")).isFalse();
        String newcomer = "198.51.100.7";
        fixture.rcpt(newcomer, "new@sender.example", "bob@example.com");
        fixture.clock.advance(DELAY);
        Decision retry = fixture.rcpt(newcomer, "new@sender.example", "bob@example.com");
        assertThat(retry.outcome()).as("the ordinary delay again").isEqualTo(PASS);
        assertThat(retry.isUnderHarvest()).isFalse();
    }
}
