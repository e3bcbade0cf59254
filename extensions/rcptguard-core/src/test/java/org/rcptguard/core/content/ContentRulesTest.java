package org.rcptguard.core.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ContentRulesTest {
    private final ContentRules rules = new ContentRules(OptionalDouble.of(6.0));

    private static ScanOutcome verdict(Action action, String reason, double score) {
        return ScanOutcome.of(Verdict.of(action, reason, OptionalDouble.of(score),
            List.of(HeaderChange.remove("X-Spam-Status"), HeaderChange.add("X-Spam-Status", "Yes, score=" + score)),
            Optional.of("*** SPAM *** hello")));
    }

    @Test
    void rejectIs550WithTheScannersMessageSanitised() {
        ContentReply reply = rules.reply(verdict(Action.REJECT, "Spam\r\n550 injected\u0000 text", 15), OnFailure.DEFER, ContentProfile.NORMAL);
        assertThat(reply.code()).isEqualTo(550);
        assertThat(reply.text()).isEqualTo("5.7.1 Message refused: Spam 550 injected text");
        assertThat(reply.kind()).isEqualTo(ContentReply.Kind.REJECT);
    }

    @Test
    void aVirusIs550NamingItsSignature() {
        ContentReply reply = rules.reply(ScanOutcome.of(Verdict.infected("Eicar-Test-Signature")), OnFailure.DEFER, ContentProfile.NORMAL);
        assertThat(reply.code() + " " + reply.text()).isEqualTo("550 5.7.1 Message refused: Eicar-Test-Signature");
    }

    @Test
    void softRejectAndGreylistAre451() {
        for (Action action : List.of(Action.SOFT_REJECT, Action.GREYLIST)) {
            ContentReply reply = rules.reply(verdict(action, "", 5), OnFailure.DEFER, ContentProfile.NORMAL);
            assertThat(reply.code() + " " + reply.text()).isEqualTo("451 4.7.1 Message deferred: try again later");
        }
    }

    @Test
    void addHeaderAcceptsWithTheHeaderChangesAndRewriteSubjectWithTheSubject() {
        ContentReply added = rules.reply(verdict(Action.ADD_HEADER, "", 5), OnFailure.DEFER, ContentProfile.NORMAL);
        assertThat(added.accepted()).isTrue();
        assertThat(added.headerChanges()).hasSize(2);
        assertThat(added.subject()).isEmpty();
        ContentReply rewritten = rules.reply(verdict(Action.REWRITE_SUBJECT, "", 5), OnFailure.DEFER, ContentProfile.NORMAL);
        assertThat(rewritten.subject()).contains("*** SPAM *** hello");
    }

    @Test
    void noActionAcceptsAndChangesNothing() {
        ContentReply reply = rules.reply(verdict(Action.NO_ACTION, "", 1), OnFailure.DEFER, ContentProfile.NORMAL);
        assertThat(reply.accepted()).isTrue();
        assertThat(reply.headerChanges()).isEmpty();
    }

    @Test
    void aFailureIs451TransientUnlessTheScannerIsSetToAccept() {
        ContentReply deferred = rules.reply(ScanOutcome.failed("timeout"), OnFailure.DEFER, ContentProfile.NORMAL);
        assertThat(deferred.code() + " " + deferred.text()).isEqualTo("451 4.3.0 Content scan unavailable, please try again later");
        assertThat(rules.reply(ScanOutcome.failed("timeout"), OnFailure.ACCEPT, ContentProfile.NORMAL).accepted()).isTrue();
    }

    @Test
    void anOversizeMessageIsAcceptedUnscanned() {
        assertThat(rules.reply(ScanOutcome.oversize(), OnFailure.DEFER, ContentProfile.NORMAL).accepted()).isTrue();
        assertThat(ScanOutcome.oversize().label()).isEqualTo("oversize");
    }

    @Test
    void aStrictRecipientRefusesAScoreAtItsThresholdThatANormalOneAccepts() {
        assertThat(rules.reply(verdict(Action.NO_ACTION, "", 6), OnFailure.DEFER, ContentProfile.STRICT).code()).isEqualTo(550);
        assertThat(rules.reply(verdict(Action.NO_ACTION, "", 5.9), OnFailure.DEFER, ContentProfile.STRICT).accepted()).isTrue();
        assertThat(rules.reply(verdict(Action.ADD_HEADER, "", 8), OnFailure.DEFER, ContentProfile.NORMAL).accepted()).isTrue();
        assertThat(rules.reply(ScanOutcome.of(Verdict.clean()), OnFailure.DEFER, ContentProfile.STRICT).accepted()).isTrue();
    }

    @Test
    void headerChangesRefuseNamesThatCouldBreakTheHeaderAndFoldValues() {
        assertThat(HeaderChange.add("X-Spam-Status", "Yes,\r\n\tscore=8").value()).contains("Yes, score=8");
        assertThatThrownBy(() -> HeaderChange.add("X-Bad\r\nInjected", "v"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeaderChange.remove("X:Colon"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void profilesByAddressDomainAndLocalPartWithOptOutFirst() {
        ContentPolicy policy = new ContentPolicy(Set.of("abuse@", "Lists.Example.org", "bob@example.com"),
            Set.of("example.net", "bob@example.com"));
        assertThat(policy.profileOf("abuse@example.com")).isEqualTo(ContentProfile.OPT_OUT);
        assertThat(policy.profileOf("x@lists.example.org")).isEqualTo(ContentProfile.OPT_OUT);
        assertThat(policy.profileOf("BOB@example.com")).isEqualTo(ContentProfile.OPT_OUT);
        assertThat(policy.profileOf("alice@example.net")).isEqualTo(ContentProfile.STRICT);
        assertThat(policy.profileOf("alice@example.com")).isEqualTo(ContentProfile.NORMAL);
        assertThat(policy.profileOf("abuse@sub.example.net")).isEqualTo(ContentProfile.OPT_OUT);
    }
}
