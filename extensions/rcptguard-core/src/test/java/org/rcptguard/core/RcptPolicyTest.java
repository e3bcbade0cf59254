package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.core.Decision.Outcome.ACCEPT;
import static org.rcptguard.core.Decision.Outcome.ACCEPT_FOR_DATA_REJECTION;
import static org.rcptguard.core.Decision.Outcome.NOT_MINE;
import static org.rcptguard.core.Decision.Outcome.PASS;
import static org.rcptguard.core.Decision.Outcome.DEFER;
import static org.rcptguard.core.Decision.Outcome.DEFER_RECIPIENT_LIMIT;
import static org.rcptguard.core.Decision.Outcome.REJECT_UNKNOWN_USER;
import static org.rcptguard.core.Decision.Outcome.TEMPORARY_FAILURE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.store.ClientNetworkStore;

class RcptPolicyTest {
    private static final String CLIENT = "192.0.2.10";
    private static final String SENDER = "someone@sender.example";
    private static final Duration DELAY = Duration.ofMinutes(5);

    /** With {@code autowhitelist.passes=2}: alice's and bob's triplets pass, and CLIENT's network is auto-whitelisted. */
    private static void earnAutoWhitelistWithTwoValidRecipients(PolicyFixture fixture) {
        pass(fixture, CLIENT, SENDER, "alice@example.com");
        fixture.rcpt(CLIENT, SENDER, "alice@example.com");
        pass(fixture, CLIENT, SENDER, "bob@example.com");
        fixture.rcpt(CLIENT, SENDER, "bob@example.com");
    }

    private static void pass(PolicyFixture fixture, String client, String sender, String recipient) {
        fixture.rcpt(client, sender, recipient);
        fixture.clock.advance(DELAY);
    }

    @Nested
    class Identities {
        private final PolicyFixture fixture = new PolicyFixture();
        private final ClientIdentity pool = ClientIdentity.spf("pool.example");

        private Decision rcpt(String client, Optional<ClientIdentity> identity, String recipient) {
            return fixture.policy.decide(new RcptRequest(PolicyFixture.address(client), false, false, Mail.sender(SENDER),
                Mail.address(recipient), identity), TransactionState.EMPTY);
        }

        @Test
        void aProvenSendersRetryFromAnotherNetworkIsTheSameTriplet() {
            assertThat(rcpt("192.0.2.10", Optional.of(pool), "alice@example.com").outcome()).isEqualTo(DEFER);
            fixture.clock.advance(DELAY);

            assertThat(rcpt("198.51.100.7", Optional.of(pool), "alice@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void aClientKnownByItsNetworkStillNeedsToRetryFromThatNetwork() {
            rcpt("192.0.2.10", Optional.empty(), "alice@example.com");
            fixture.clock.advance(DELAY);

            assertThat(rcpt("198.51.100.7", Optional.empty(), "alice@example.com").outcome()).isEqualTo(DEFER);
            assertThat(rcpt("192.0.2.99", Optional.empty(), "alice@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void aScannerSpreadOverNetworksUnderItsOwnSpfIsPenalisedByItsIdentity() {
            // scan.threshold=3: four unknown recipients, one per network, never more than one on any network.
            for (int network = 1; network <= 4; network++) {
                rcpt("198.51." + network + ".7", Optional.of(pool), "guess" + network + "@example.com");
            }

            assertThat(fixture.penalties).hasSize(1);
            assertThat(fixture.penalised).as("the listener is told what was penalised").containsExactly(ClientNetwork.provenBy(pool));
            assertThat(fixture.clientNetworks.load(ClientNetwork.provenBy(pool)).penaltyActiveAt(fixture.clock.instant())).isPresent();
            assertThat(fixture.clientNetworks.load(ClientNetwork.parse("198.51.4.0/24")).penaltyActiveAt(fixture.clock.instant())).isEmpty();
            Decision fromAFreshNetwork = rcpt("203.0.113.9", Optional.of(pool), "alice@example.com");
            assertThat(fromAFreshNetwork.reason()).isEqualTo(Reason.PENALISED);
        }

        @Test
        void aScannerOnOneNetworkIsStillPenalisedByItsNetwork() {
            for (int guess = 1; guess <= 4; guess++) {
                rcpt("198.51.100.7", Optional.of(pool), "guess" + guess + "@example.com");
            }

            assertThat(fixture.clientNetworks.load(ClientNetwork.parse("198.51.100.0/24")).penaltyActiveAt(fixture.clock.instant())).isPresent();
            assertThat(rcpt("198.51.100.8", Optional.empty(), "alice@example.com").reason()).isEqualTo(Reason.PENALISED);
        }

        @Test
        void aProvenSendersReputationFollowsItOverItsNetworks() {
            PolicyFixture trusting = new PolicyFixture("autowhitelist.passes", "2");
            for (String recipient : List.of("alice@example.com", "bob@example.com")) {
                decide(trusting, "192.0.2.10", recipient);
                trusting.clock.advance(DELAY);
                decide(trusting, "198.51.100.7", recipient);
            }

            Decision fromAnotherNetwork = decide(trusting, "203.0.113.9", "abuse@example.com");

            assertThat(fromAnotherNetwork.reason()).isEqualTo(Reason.AUTO_WHITELISTED);
            assertThat(trusting.clientNetworks.load(ClientNetwork.parse("203.0.113.0/24")).passedTriplets()).isZero();
        }

        @Test
        void aFailedReadOfTheIdentityIsAStoreFailureNeverAnAcceptance() {
            ClientNetworkStore identityDown = new ClientNetworkStore() {
                @Override
                public ClientNetworkState load(ClientNetwork clientNetwork) {
                    return ClientNetworkState.UNKNOWN;
                }

                @Override
                public CompletableFuture<ClientNetworkState> loadAsync(ClientNetwork clientNetwork) {
                    return CompletableFuture.failedFuture(new IllegalStateException("store down"));
                }

                @Override
                public void recordPassedTriplet(ClientNetwork clientNetwork, Triplet triplet, Duration ttl) {
                }

                @Override
                public void penalise(ClientNetwork clientNetwork, Penalty penalty) {
                }

                @Override
                public void liftPenalty(ClientNetwork clientNetwork) {
                }
            };

            Decision decision = decide(new PolicyFixture(identityDown), "192.0.2.10", "alice@example.com");

            assertThat(decision.outcome()).isEqualTo(TEMPORARY_FAILURE);
            assertThat(decision.reason()).isEqualTo(Reason.STORE_FAILURE);
        }

        private Decision decide(PolicyFixture on, String client, String recipient) {
            return on.policy.decide(new RcptRequest(PolicyFixture.address(client), false, false, Mail.sender(SENDER),
                Mail.address(recipient), Optional.of(pool)), TransactionState.EMPTY);
        }

        @Test
        void theRepliesBeforePassingDoNotDependOnTheRecipient() {
            Decision valid = rcpt("192.0.2.10", Optional.of(pool), "alice@example.com");
            Decision unknown = rcpt("192.0.2.10", Optional.of(pool), "nobody@example.com");

            assertThat(valid.reply()).isEqualTo(unknown.reply());
        }
    }

    @Nested
    class Greylisting {
        private final PolicyFixture fixture = new PolicyFixture();

        @Test
        void firstContactDefersValidAndUnknownRecipientsAlike() {
            Decision valid = fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            Decision unknown = fixture.rcpt(CLIENT, SENDER, "nobody@example.com");

            assertThat(valid.outcome()).isEqualTo(DEFER);
            assertThat(unknown.outcome()).isEqualTo(DEFER);
            assertThat(valid.reason()).isEqualTo(Reason.GREYLISTED);
            assertThat(unknown.reason()).isEqualTo(Reason.GREYLISTED);
        }

        @Test
        void aRetryAfterTheDelayPassesAValidRecipient() {
            pass(fixture, CLIENT, SENDER, "alice@example.com");

            Decision retry = fixture.rcpt(CLIENT, SENDER, "alice@example.com");

            assertThat(retry.outcome()).isEqualTo(PASS);
            assertThat(retry.reason()).isEqualTo(Reason.PASSED);
        }

        @Test
        void aRetryAfterTheDelayRejectsAnUnknownUser() {
            pass(fixture, CLIENT, SENDER, "nobody@example.com");

            assertThat(fixture.rcpt(CLIENT, SENDER, "nobody@example.com").outcome()).isEqualTo(REJECT_UNKNOWN_USER);
        }

        @Test
        void anEarlyRetryIsDeferredAndDoesNotRestartTheDelay() {
            fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            fixture.clock.advance(Duration.ofMinutes(4));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(DEFER);

            fixture.clock.advance(Duration.ofMinutes(1));

            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void aRetryAfterTheRetryWindowStartsOver() {
            fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            fixture.clock.advance(Duration.ofHours(4).plusSeconds(1));

            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(DEFER);
            fixture.clock.advance(DELAY);
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void aPassedTripletStaysPassedForItsLifetimeSinceLastUse() {
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            fixture.rcpt(CLIENT, SENDER, "alice@example.com");

            fixture.clock.advance(Duration.ofDays(30));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(PASS);
            fixture.clock.advance(Duration.ofDays(30));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(PASS);
            fixture.clock.advance(Duration.ofDays(37));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(DEFER);
        }

        @Test
        void aRetryWithAnotherVerpOrBatvSenderMatchesItsTriplet() {
            fixture.rcpt(CLIENT, "prvs=1234abcdef=bounce-1001@lists.example", "alice@example.com");
            fixture.clock.advance(DELAY);

            assertThat(fixture.rcpt(CLIENT, "prvs=9999abcdef=bounce-1002@lists.example", "alice@example.com").outcome())
                .isEqualTo(PASS);
        }

        @Test
        void aRetryFromAnotherAddressOfTheSameNetworkMatchesItsTriplet() {
            pass(fixture, "192.0.2.10", SENDER, "alice@example.com");

            assertThat(fixture.rcpt("192.0.2.77", SENDER, "alice@example.com").outcome()).isEqualTo(PASS);
            assertThat(fixture.rcpt("192.0.3.10", SENDER, "alice@example.com").outcome()).isEqualTo(DEFER);
        }

        @Test
        void theRecipientIsMatchedWithoutRegardToCase() {
            pass(fixture, CLIENT, SENDER, "alice@example.com");

            assertThat(fixture.rcpt(CLIENT, SENDER, "Alice@Example.COM").outcome()).isEqualTo(PASS);
        }

        @Test
        void theNullSenderIsGreylistedLikeAnyOther() {
            fixture.rcpt(CLIENT, "", "alice@example.com");
            assertThat(fixture.rcpt(CLIENT, "", "alice@example.com").outcome()).isEqualTo(DEFER);
            fixture.clock.advance(DELAY);
            assertThat(fixture.rcpt(CLIENT, "", "alice@example.com").outcome()).isEqualTo(PASS);
        }
    }

    @Nested
    class ScanDetection {
        private final PolicyFixture fixture = new PolicyFixture("scan.threshold", "3", "scan.window", "1h",
            "scan.penalty.factor", "4", "scan.penalty.max", "1d");

        private void probe(String client, int count) {
            for (int i = 0; i < count; i++) {
                fixture.rcpt(client, SENDER, "unknown" + i + "@example.com");
            }
        }

        @Test
        void aNetworkNamingMoreThanTheThresholdOfUnknownRecipientsIsPenalised() {
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            probe(CLIENT, 3);
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(PASS);

            probe(CLIENT, 4);

            Decision valid = fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            assertThat(valid.outcome()).isEqualTo(DEFER);
            assertThat(valid.reason()).isEqualTo(Reason.PENALISED);
        }

        @Test
        void anotherNetworkIsUnaffected() {
            pass(fixture, "192.0.3.10", SENDER, "alice@example.com");
            probe(CLIENT, 10);

            assertThat(fixture.rcpt("192.0.3.10", SENDER, "alice@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void retryingTheSameUnknownRecipientIsNotScanning() {
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            for (int i = 0; i < 20; i++) {
                fixture.rcpt(CLIENT, SENDER, "alcie@example.com");
            }

            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void eachFurtherUnknownRecipientEscalatesThePenaltyUpToItsCap() {
            probe(CLIENT, 4);
            // level 1: delay x 4 = 20 minutes
            fixture.clock.advance(Duration.ofMinutes(19));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.PENALISED);
            fixture.clock.advance(Duration.ofMinutes(2));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.GREYLISTED);

            fixture.rcpt(CLIENT, SENDER, "unknown-more-1@example.com");
            // level 2 (5 distinct within the window): 80 minutes
            fixture.clock.advance(Duration.ofMinutes(79));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.PENALISED);
            fixture.clock.advance(Duration.ofMinutes(2));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isNotEqualTo(Reason.PENALISED);
        }

        @Test
        void thePenaltyNeverExceedsItsCap() {
            probe(CLIENT, 40);

            fixture.clock.advance(Duration.ofDays(1).minusMinutes(1));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.PENALISED);
            fixture.clock.advance(Duration.ofMinutes(2));
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isNotEqualTo(Reason.PENALISED);
        }

        @Test
        void unknownRecipientsOutsideTheWindowDoNotAddUp() {
            probe(CLIENT, 3);
            fixture.clock.advance(Duration.ofHours(1).plusSeconds(1));
            fixture.rcpt(CLIENT, SENDER, "late@example.com");

            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.GREYLISTED);
        }

        @Test
        void theRecipientThatTipsTheScanImposesThePenaltyAndEachFurtherOneRaisesIt() {
            probe(CLIENT, 3);

            fixture.rcpt(CLIENT, SENDER, "unknown3@example.com");
            assertThat(fixture.penalties).singleElement().satisfies(penalty -> {
                assertThat(penalty.level()).isEqualTo(1);
                assertThat(penalty.until()).isEqualTo(fixture.clock.instant().plus(Duration.ofMinutes(20)));
            });
            Decision fifth = fixture.rcpt(CLIENT, SENDER, "unknown4@example.com");
            assertThat(fifth.reason()).isEqualTo(Reason.PENALISED);
            assertThat(fixture.penalties).map(Penalty::level).containsExactly(1, 2);
            fixture.rcpt(CLIENT, SENDER, "unknown4@example.com");
            fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            assertThat(fixture.penalties).as("the same unknown recipient again, a valid one").hasSize(2);
        }

        @Test
        void aLiftedPenaltyWithItsEvidenceForgottenLetsTheNetworkStartOver() {
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            probe(CLIENT, 5);
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.PENALISED);
            ClientNetwork network = fixture.configuration.clientNetworkOf(PolicyFixture.address(CLIENT));

            fixture.clientNetworks.liftPenalty(network);
            fixture.unknownRecipients.forget(network);

            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.PASSED);
            fixture.penalties.clear();
            fixture.rcpt(CLIENT, SENDER, "another-unknown@example.com");
            assertThat(fixture.penalties).isEmpty();
        }

        @Test
        void penaltyDurationsMultiplyTheDelay() {
            ScanDetector detector = new ScanDetector(null, null, fixture.clock, fixture.configuration);
            assertThat(detector.penaltyDuration(1)).isEqualTo(Duration.ofMinutes(20));
            assertThat(detector.penaltyDuration(2)).isEqualTo(Duration.ofMinutes(80));
            assertThat(detector.penaltyDuration(10)).isEqualTo(Duration.ofDays(1));
            assertThat(detector.penaltyDuration(1000)).isEqualTo(Duration.ofDays(1));
        }
    }

    @Nested
    class MixedRecipients {
        private PolicyFixture passedFor(String mixedMode, String rejectMode, String... recipients) {
            PolicyFixture fixture = new PolicyFixture("mixed.mode", mixedMode, "reject.mode", rejectMode, "autowhitelist.passes", "0");
            for (String recipient : recipients) {
                fixture.rcpt(CLIENT, SENDER, recipient);
            }
            fixture.clock.advance(DELAY);
            return fixture;
        }

        @Test
        void deferAfterChangeDefersTheChangeAndEverythingAfter() {
            PolicyFixture fixture = passedFor("defer-after-change", "rcpt", "alice@example.com", "nobody@example.com", "bob@example.com");
            PolicyFixture.Transaction transaction = fixture.transaction(CLIENT, SENDER);

            assertThat(transaction.rcpt("alice@example.com").outcome()).isEqualTo(PASS);
            Decision unknown = transaction.rcpt("nobody@example.com");
            assertThat(unknown.outcome()).isEqualTo(DEFER);
            assertThat(unknown.reason()).isEqualTo(Reason.MIXED_RECIPIENTS);
            assertThat(transaction.rcpt("bob@example.com").outcome()).isEqualTo(DEFER);
        }

        @Test
        void sameClassDefersOnlyTheOtherClass() {
            PolicyFixture fixture = passedFor("same-class", "rcpt", "alice@example.com", "nobody@example.com", "bob@example.com");
            PolicyFixture.Transaction transaction = fixture.transaction(CLIENT, SENDER);

            assertThat(transaction.rcpt("alice@example.com").outcome()).isEqualTo(PASS);
            assertThat(transaction.rcpt("nobody@example.com").outcome()).isEqualTo(DEFER);
            assertThat(transaction.rcpt("bob@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void oneRecipientPerTransactionRefusesTheSecond() {
            PolicyFixture fixture = passedFor("one-recipient-per-transaction", "rcpt", "alice@example.com", "bob@example.com");
            PolicyFixture.Transaction transaction = fixture.transaction(CLIENT, SENDER);

            assertThat(transaction.rcpt("alice@example.com").outcome()).isEqualTo(PASS);
            assertThat(transaction.rcpt("bob@example.com").outcome()).isEqualTo(DEFER_RECIPIENT_LIMIT);
            assertThat(fixture.transaction(CLIENT, SENDER).rcpt("bob@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void oneRecipientPerTransactionDoesNotApplyToTrustedClients() {
            PolicyFixture fixture = new PolicyFixture("mixed.mode", "one-recipient-per-transaction");
            PolicyFixture.Transaction transaction = fixture.authenticatedTransaction(CLIENT, SENDER);

            assertThat(transaction.rcpt("alice@example.com").outcome()).isEqualTo(NOT_MINE);
            assertThat(transaction.rcpt("bob@example.com").outcome()).isEqualTo(NOT_MINE);
        }

        @Test
        void aRejectedUnknownUserDoesNotSetTheClassInRcptMode() {
            PolicyFixture fixture = passedFor("defer-after-change", "rcpt", "nobody@example.com", "alice@example.com");
            PolicyFixture.Transaction transaction = fixture.transaction(CLIENT, SENDER);

            assertThat(transaction.rcpt("nobody@example.com").outcome()).isEqualTo(REJECT_UNKNOWN_USER);
            assertThat(transaction.rcpt("alice@example.com").outcome()).isEqualTo(PASS);
        }

        @Test
        void dataModeAcceptsAnAllUnknownTransactionForRejectionAfterData() {
            PolicyFixture fixture = passedFor("defer-after-change", "data", "nobody@example.com", "ghost@example.com");
            PolicyFixture.Transaction transaction = fixture.transaction(CLIENT, SENDER);

            assertThat(transaction.rcpt("nobody@example.com").outcome()).isEqualTo(ACCEPT_FOR_DATA_REJECTION);
            assertThat(transaction.rcpt("ghost@example.com").outcome()).isEqualTo(ACCEPT_FOR_DATA_REJECTION);
            assertThat(transaction.state().rejectAfterData()).isTrue();
        }

        @Test
        void dataModeNeverAcceptsAValidAndAnUnknownRecipientTogether() {
            PolicyFixture fixture = passedFor("same-class", "data", "alice@example.com", "nobody@example.com");
            PolicyFixture.Transaction transaction = fixture.transaction(CLIENT, SENDER);

            assertThat(transaction.rcpt("alice@example.com").outcome()).isEqualTo(PASS);
            assertThat(transaction.rcpt("nobody@example.com").outcome()).isEqualTo(DEFER);
            assertThat(transaction.state().rejectAfterData()).isFalse();
        }
    }

    @Nested
    class TrustedClients {
        @Test
        void authenticatedClientsAreNotTouched() {
            PolicyFixture fixture = new PolicyFixture();
            Decision decision = fixture.authenticatedTransaction(CLIENT, SENDER).rcpt("nobody@example.com");

            assertThat(decision.outcome()).isEqualTo(NOT_MINE);
            assertThat(decision.reason()).isEqualTo(Reason.AUTHENTICATED);
            assertThat(fixture.directory.lookups()).isZero();
        }

        @Test
        void relayAllowedClientsAreNotTouched() {
            PolicyFixture fixture = new PolicyFixture();
            Decision decision = fixture.policy.decide(new RcptRequest(PolicyFixture.address(CLIENT), false, true, Mail.sender(SENDER),
                Mail.address("alice@example.com")), TransactionState.EMPTY);

            assertThat(decision.reason()).isEqualTo(Reason.RELAY_ALLOWED);
        }

        @Test
        void whitelistedClientsSendersAndOptedOutRecipientsAreNotDelayed() {
            PolicyFixture fixture = new PolicyFixture("whitelist.clients", "198.51.100.0/24",
                "whitelist.senders", "partner.example", "whitelist.recipients", "bob@example.com");

            assertThat(fixture.rcpt("198.51.100.7", SENDER, "alice@example.com").reason()).isEqualTo(Reason.WHITELISTED_CLIENT);
            assertThat(fixture.rcpt(CLIENT, "news@mail.partner.example", "alice@example.com").reason())
                .isEqualTo(Reason.WHITELISTED_SENDER);
            assertThat(fixture.rcpt(CLIENT, SENDER, "Bob@example.com").reason()).isEqualTo(Reason.RECIPIENT_OPT_OUT);
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.GREYLISTED);
        }

        @Test
        void postgreysWhitelistFilesTrustAsTheStaticWhitelistsDo() throws Exception {
            Path dir = Files.createTempDirectory("postgrey");
            Path clients = Files.writeString(dir.resolve("whitelist_clients"), "198.51.100.0/24\nmx.partner.example\n");
            Path recipients = Files.writeString(dir.resolve("whitelist_recipients"), "bob@example.com\n");
            PolicyFixture fixture = new PolicyFixture("whitelist.postgrey.clients", clients.toString(),
                "whitelist.postgrey.recipients", recipients.toString());

            assertThat(fixture.rcpt("198.51.100.7", SENDER, "nobody@example.com").reason()).isEqualTo(Reason.WHITELISTED_CLIENT);
            assertThat(fixture.rcpt(CLIENT, SENDER, "Bob@example.com").reason()).isEqualTo(Reason.RECIPIENT_OPT_OUT);
            assertThat(fixture.directory.lookups()).isZero();
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).as("a name entry matches no address")
                .isEqualTo(Reason.GREYLISTED);
        }

        @Test
        void postgreysNameEntriesMatchTheClientsVerifiedName() throws Exception {
            Path dir = Files.createTempDirectory("postgrey");
            Path clients = Files.writeString(dir.resolve("whitelist_clients"), "partner.example\n/^mail\\d+\\.example\\.net$/\n");
            PolicyFixture fixture = new PolicyFixture("whitelist.postgrey.clients", clients.toString());

            assertThat(verifiedClient(fixture, Optional.of("partner.example"))).as("the name itself").isEqualTo(Reason.WHITELISTED_CLIENT);
            assertThat(verifiedClient(fixture, Optional.of("mx2.out.partner.example"))).as("a subdomain")
                .isEqualTo(Reason.WHITELISTED_CLIENT);
            assertThat(verifiedClient(fixture, Optional.of("mail12.example.net"))).as("the /regex/").isEqualTo(Reason.WHITELISTED_CLIENT);
            assertThat(verifiedClient(fixture, Optional.of("mx.notpartner.example"))).isEqualTo(Reason.GREYLISTED);
            assertThat(verifiedClient(fixture, Optional.empty())).as("no verified name").isEqualTo(Reason.GREYLISTED);
        }

        private Reason verifiedClient(PolicyFixture fixture, Optional<String> verifiedName) {
            return fixture.policy.decide(new RcptRequest(PolicyFixture.address(CLIENT), false, false, Mail.sender(SENDER),
                Mail.address("alice@example.com"), Optional.empty(), verifiedName), TransactionState.EMPTY).reason();
        }

        @Test
        void theRunTimeWhitelistIsConsultedWithTheConfiguredOne() {
            PolicyFixture fixture = new PolicyFixture("whitelist.clients", "198.51.100.0/24");
            fixture.sharedWhitelist.add(WhitelistEntry.client("203.0.113.0/24"));
            fixture.sharedWhitelist.add(WhitelistEntry.sender("partner.example"));
            fixture.sharedWhitelist.add(WhitelistEntry.recipient("bob@example.com"));

            assertThat(fixture.rcpt("198.51.100.7", SENDER, "alice@example.com").reason()).isEqualTo(Reason.WHITELISTED_CLIENT);
            assertThat(fixture.rcpt("203.0.113.7", SENDER, "nobody@example.com").reason()).isEqualTo(Reason.WHITELISTED_CLIENT);
            assertThat(fixture.rcpt(CLIENT, "news@mail.partner.example", "alice@example.com").reason())
                .isEqualTo(Reason.WHITELISTED_SENDER);
            assertThat(fixture.rcpt(CLIENT, SENDER, "bob@example.com").reason()).isEqualTo(Reason.RECIPIENT_OPT_OUT);
            assertThat(fixture.directory.lookups()).isZero();

            fixture.sharedWhitelist.remove(WhitelistEntry.client("203.0.113.0/24"));

            assertThat(fixture.rcpt("203.0.113.7", SENDER, "nobody@example.com").reason()).isEqualTo(Reason.GREYLISTED);
        }

        @Test
        void aNetworkThatPassedEnoughDistinctTripletsIsAutoWhitelisted() {
            PolicyFixture fixture = new PolicyFixture("autowhitelist.passes", "2");
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            assertThat(fixture.rcpt(CLIENT, "other@sender.example", "bob@example.com").reason()).isEqualTo(Reason.GREYLISTED);

            fixture.clock.advance(DELAY);
            fixture.rcpt(CLIENT, "other@sender.example", "bob@example.com");

            Decision decision = fixture.rcpt("192.0.2.99", "third@new.example", "alice@example.com");
            assertThat(decision.outcome()).isEqualTo(NOT_MINE);
            assertThat(decision.reason()).isEqualTo(Reason.AUTO_WHITELISTED);
        }

        @Test
        void passedTripletsOfUnknownRecipientsDoNotEarnTheAutoWhitelist() {
            PolicyFixture fixture = new PolicyFixture("autowhitelist.passes", "2", "scan.threshold", "10");
            pass(fixture, CLIENT, SENDER, "u1@example.com");
            assertThat(fixture.rcpt(CLIENT, SENDER, "u1@example.com").outcome()).isEqualTo(REJECT_UNKNOWN_USER);
            pass(fixture, CLIENT, SENDER, "u2@example.com");
            assertThat(fixture.rcpt(CLIENT, SENDER, "u2@example.com").outcome()).isEqualTo(REJECT_UNKNOWN_USER);
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.PASSED);

            assertThat(fixture.rcpt(CLIENT, "new@other.example", "bob@example.com").reason())
                .as("one valid pass of two needed").isEqualTo(Reason.GREYLISTED);
        }

        @Test
        void anAutoWhitelistedNetworkNamingUnknownRecipientsIsPenalisedAndDeferredAsAnyOther() {
            PolicyFixture fixture = new PolicyFixture("autowhitelist.passes", "2", "scan.threshold", "3");
            // A scanner earns the auto-whitelist with two valid addresses...
            earnAutoWhitelistWithTwoValidRecipients(fixture);

            // ... then James answers its unknown recipients (550), but each one counts: three are not a scan yet,
            for (String unknown : List.of("u1@example.com", "u2@example.com", "u3@example.com")) {
                Decision decision = fixture.rcpt(CLIENT, SENDER, unknown);
                assertThat(decision.reason()).isEqualTo(Reason.AUTO_WHITELISTED);
                assertThat(fixture.penalties).isEmpty();
            }
            // the fourth is: the network is penalised, and from then on deferred, valid recipients too.
            Decision fourth = fixture.rcpt(CLIENT, SENDER, "u4@example.com");
            assertThat(fourth.outcome()).isEqualTo(NOT_MINE);
            assertThat(fixture.penalties).hasSize(1);
            Decision next = fixture.rcpt(CLIENT, SENDER, "u5@example.com");
            assertThat(next.outcome()).isEqualTo(DEFER);
            assertThat(next.reason()).isEqualTo(Reason.PENALISED);
            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.PENALISED);
        }

        @Test
        void anAutoWhitelistedNetworksValidRecipientIsLookedUpAgainOnlyAfterAMinuteItsUnknownOnesEveryTime() {
            PolicyFixture fixture = new PolicyFixture("autowhitelist.passes", "2", "scan.threshold", "10");
            earnAutoWhitelistWithTwoValidRecipients(fixture);
            int lookups = fixture.directory.lookups();

            for (int i = 0; i < 3; i++) {
                assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reason()).isEqualTo(Reason.AUTO_WHITELISTED);
            }
            assertThat(fixture.directory.lookups()).as("alice, once").isEqualTo(lookups + 1);
            lookups++;

            fixture.rcpt(CLIENT, SENDER, "u1@example.com");
            fixture.rcpt(CLIENT, SENDER, "u1@example.com");
            assertThat(fixture.directory.lookups()).as("an unknown recipient, every time").isEqualTo(lookups + 2);
            assertThat(fixture.unknownRecipients.count(ClientNetwork.parse("192.0.2.0/24")))
                .isEqualTo(1);

            fixture.clock.advance(RecipientHints.FRESHNESS);
            fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            assertThat(fixture.directory.lookups()).as("a minute later, alice again").isEqualTo(lookups + 3);
        }

        @Test
        void aNetworkNoLongerAutoWhitelistedIsGreylistedAgainOnThisNode() {
            PolicyFixture fixture = new PolicyFixture("autowhitelist.passes", "2", "greylist.lifetime", "1d");
            earnAutoWhitelistWithTwoValidRecipients(fixture);
            assertThat(fixture.rcpt(CLIENT, "new@other.example", "alice@example.com").reason()).isEqualTo(Reason.AUTO_WHITELISTED);

            fixture.clock.advance(Duration.ofDays(2));

            // This node remembers the network as trusted, but decides on what the store says now.
            assertThat(fixture.rcpt(CLIENT, "new@other.example", "alice@example.com").reason()).isEqualTo(Reason.GREYLISTED);
            fixture.clock.advance(DELAY);
            assertThat(fixture.rcpt(CLIENT, "new@other.example", "alice@example.com").reason()).isEqualTo(Reason.PASSED);
        }

        @Test
        void recipientsOfDomainsNotGovernedAreLeftToJames() {
            PolicyFixture fixture = new PolicyFixture();

            assertThat(fixture.rcpt(CLIENT, SENDER, "someone@elsewhere.example").reason()).isEqualTo(Reason.NOT_GOVERNED);
            assertThat(fixture.directory.lookups()).isZero();
        }
    }

    @Nested
    class Failures {
        @Test
        void aDirectoryFailureIsATemporaryFailure() {
            PolicyFixture fixture = new PolicyFixture();
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            fixture.directory.failing(true);

            Decision decision = fixture.rcpt(CLIENT, SENDER, "alice@example.com");

            assertThat(decision.outcome()).isEqualTo(TEMPORARY_FAILURE);
            assertThat(decision.reason()).isEqualTo(Reason.DIRECTORY_FAILURE);
        }

        /** No oracle before greylisting (docs/design.md) during a partial outage: the recipient the directory cannot tell gets what the others get. */
        @Test
        void anUndecidedRecipientIsDeferredLikeAnyOtherUntilItsTripletPassed() {
            PolicyFixture fixture = new PolicyFixture();
            fixture.directory.undecided("later@example.com");

            Decision valid = fixture.rcpt(CLIENT, SENDER, "alice@example.com");
            Decision unknown = fixture.rcpt(CLIENT, SENDER, "nobody@example.com");
            Decision undecided = fixture.rcpt(CLIENT, SENDER, "later@example.com");

            assertThat(List.of(valid, unknown, undecided)).allSatisfy(decision -> {
                assertThat(decision.outcome()).isEqualTo(DEFER);
                assertThat(decision.reason()).isEqualTo(Reason.GREYLISTED);
            });
            // None of the three replies waited for the directory (docs/design.md, "No oracle before greylisting").
            assertThat(List.of(valid, unknown, undecided)).allSatisfy(decision -> assertThat(decision.recipientClass()).isEmpty());
            // The attempt was recorded: the retry after the delay has passed and hears of the failure.
            fixture.clock.advance(DELAY);
            Decision retried = fixture.rcpt(CLIENT, SENDER, "later@example.com");
            assertThat(retried.outcome()).isEqualTo(TEMPORARY_FAILURE);
            assertThat(retried.reason()).isEqualTo(Reason.DIRECTORY_FAILURE);
        }

        @Test
        void anUndecidedRecipientOfAPenalisedNetworkIsDeferredAsPenalised() {
            PolicyFixture fixture = new PolicyFixture("scan.threshold", "3");
            fixture.directory.undecided("later@example.com");
            for (int i = 0; i < 4; i++) {
                fixture.rcpt(CLIENT, SENDER, "unknown" + i + "@example.com");
            }

            Decision undecided = fixture.rcpt(CLIENT, SENDER, "later@example.com");

            assertThat(undecided.outcome()).isEqualTo(DEFER);
            assertThat(undecided.reason()).isEqualTo(Reason.PENALISED);
        }

        @Test
        void anUndecidedRecipientNeverCountsTowardsTheAutoWhitelist() {
            PolicyFixture fixture = new PolicyFixture("autowhitelist.passes", "1");
            fixture.directory.undecided("later@example.com");
            pass(fixture, CLIENT, SENDER, "later@example.com");
            fixture.rcpt(CLIENT, SENDER, "later@example.com");

            assertThat(fixture.rcpt(CLIENT, "new@other.example", "alice@example.com").reason()).isEqualTo(Reason.GREYLISTED);
        }

        @Test
        void aFailureToTellWhetherADomainIsGovernedIsATemporaryFailure() {
            PolicyFixture fixture = new PolicyFixture();
            RcptPolicy policy = new RcptPolicy(new RecipientDirectory() {
                @Override
                public boolean governs(Domain domain) {
                    throw new IllegalStateException("domain list down");
                }

                @Override
                public DirectoryAnswer lookUp(MailAddress address) {
                    return Mail.answer(RecipientClass.VALID);
                }
            }, null, null, null, fixture.configuration, fixture.clock, () -> Whitelist.EMPTY,
                BackgroundLookups.ON_CALLER_THREAD, PenaltyListener.NONE, Deployment.HOSTED, fixture.harvestState);

            Decision decision = policy.decide(new RcptRequest(PolicyFixture.address(CLIENT), false, false, Mail.sender(SENDER),
                Mail.address("alice@example.com")), TransactionState.EMPTY);

            assertThat(decision.outcome()).isEqualTo(TEMPORARY_FAILURE);
        }

        @Test
        void aStoreFailureIsATemporaryFailure() {
            PolicyFixture fixture = new PolicyFixture(new FailingClientNetworkStore());

            Decision decision = fixture.rcpt(CLIENT, SENDER, "alice@example.com");

            assertThat(decision.outcome()).isEqualTo(TEMPORARY_FAILURE);
            assertThat(decision.reason()).isEqualTo(Reason.STORE_FAILURE);
        }
    }

    /** The decision carries every reply: what James's own checks would otherwise have to change. */
    @Nested
    class Replies {
        @Test
        void aPassedValidRecipientOfARelayedDomainIsAcceptedByRcptGuardAndAnUnknownOneRefused() {
            PolicyFixture fixture = new PolicyFixture();
            fixture.deployment.relay("example.com");
            pass(fixture, CLIENT, SENDER, "alice@example.com");
            pass(fixture, CLIENT, SENDER, "nobody@example.com");

            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reply()).isEqualTo(ACCEPT);
            assertThat(fixture.rcpt(CLIENT, SENDER, "nobody@example.com").reply()).isEqualTo(REJECT_UNKNOWN_USER);
        }

        @Test
        void aWhitelistedClientOfARelayedDomainIsCheckedAgainstTheDirectoryAndAnAuthenticatedOneLeftToJames() {
            PolicyFixture fixture = new PolicyFixture("whitelist.clients", "192.0.2.0/24");
            fixture.deployment.relay("example.com");
            fixture.directory.undecided("later@example.com");

            assertThat(fixture.rcpt(CLIENT, SENDER, "alice@example.com").reply()).isEqualTo(ACCEPT);
            assertThat(fixture.rcpt(CLIENT, SENDER, "nobody@example.com").reply()).isEqualTo(REJECT_UNKNOWN_USER);
            assertThat(fixture.rcpt(CLIENT, SENDER, "later@example.com").reply()).isEqualTo(TEMPORARY_FAILURE);
            assertThat(fixture.authenticatedTransaction("198.51.100.1", SENDER).rcpt("nobody@example.com").reply())
                .isEqualTo(NOT_MINE);
        }

        @Test
        void aRoleAccountIsAcceptedAndATrustedClientsOtherRecipientsAreLeftToJames() {
            PolicyFixture fixture = new PolicyFixture("whitelist.clients", "192.0.2.0/24");

            assertThat(fixture.rcpt(CLIENT, SENDER, "Abuse@example.com").reply()).isEqualTo(ACCEPT);
            assertThat(fixture.rcpt(CLIENT, SENDER, "nobody@example.com").reply()).isEqualTo(NOT_MINE);
        }

        @Test
        void rejectModeDataWithoutItsHookDefersInsteadOfAccepting() {
            PolicyFixture fixture = new PolicyFixture("reject.mode", "data");
            fixture.deployment.dataStage(() -> false);
            pass(fixture, CLIENT, SENDER, "nobody@example.com");

            Decision decision = fixture.rcpt(CLIENT, SENDER, "nobody@example.com");

            assertThat(decision.reply()).isEqualTo(TEMPORARY_FAILURE);
            assertThat(decision.transaction().rejectAfterData()).as("nothing accepted").isFalse();
        }

        @Test
        void inObserveModeTheDecisionIsRecordedAndTheClientHearsJamesAlone() {
            Decision hosted = new PolicyFixture("mode", "observe").rcpt(CLIENT, SENDER, "nobody@example.com");
            PolicyFixture relaying = new PolicyFixture("mode", "observe");
            relaying.deployment.relay("example.com");
            Decision relayedValid = relaying.rcpt(CLIENT, SENDER, "alice@example.com");
            Decision relayedUnknown = relaying.rcpt(CLIENT, SENDER, "nobody@example.com");

            assertThat(List.of(hosted, relayedValid, relayedUnknown)).allSatisfy(decision ->
                assertThat(decision.outcome()).isEqualTo(DEFER));
            assertThat(hosted.reply()).isEqualTo(NOT_MINE);
            // James would refuse to relay them: RcptGuard checks them as ValidRcptHandler checks a hosted domain's.
            assertThat(relayedValid.reply()).isEqualTo(ACCEPT);
            assertThat(relayedUnknown.reply()).isEqualTo(REJECT_UNKNOWN_USER);
        }
    }
}
