package org.rcptguard.core.content;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How one scanner's outcome becomes the reply to the end of DATA. Refusals: {@code reject} and a strict recipient's
 * score over its threshold give 550 5.7.1; {@code soft reject} and {@code greylist} give 451 4.7.1; a failure gives
 * 451 4.3.0 unless the scanner is set to accept on failure. Everything else accepts, with the scanner's header changes.
 */
public final class ContentRules {
    private final OptionalDouble strictRejectScore;

    public ContentRules(OptionalDouble strictRejectScore) {
        this.strictRejectScore = strictRejectScore;
    }

    public ContentReply reply(ScanOutcome outcome, OnFailure onFailure, ContentProfile profile) {
        switch (outcome.kind()) {
            case FAILED:
                return onFailure == OnFailure.ACCEPT ? ContentReply.accept(List.of(), Optional.empty())
                    : ContentReply.scanFailed();
            case OVERSIZE:
                return ContentReply.accept(List.of(), Optional.empty());
            default:
                return reply(outcome.verdict().orElseThrow(), profile);
        }
    }

    private ContentReply reply(Verdict verdict, ContentProfile profile) {
        if (verdict.action() == Action.REJECT) {
            return ContentReply.refuse(ContentReply.Kind.REJECT, 550, "5.7.1 Message refused: "
                + (verdict.reason().isEmpty() ? "content policy" : Sanitised.text(verdict.reason())));
        }
        if (profile == ContentProfile.STRICT && overStrictThreshold(verdict)) {
            return ContentReply.refuse(ContentReply.Kind.REJECT, 550, "5.7.1 Message refused: spam score over this domain's threshold");
        }
        if (verdict.action() == Action.SOFT_REJECT || verdict.action() == Action.GREYLIST) {
            return ContentReply.refuse(ContentReply.Kind.DEFER, 451, "4.7.1 Message deferred: "
                + (verdict.reason().isEmpty() ? "try again later" : Sanitised.text(verdict.reason())));
        }
        if (verdict.action() == Action.NO_ACTION) {
            return ContentReply.accept(List.of(), Optional.empty());
        }
        return ContentReply.accept(verdict.headerChanges(),
            verdict.action() == Action.REWRITE_SUBJECT ? verdict.subject().map(Sanitised::text) : Optional.empty());
    }

    private boolean overStrictThreshold(Verdict verdict) {
        return strictRejectScore.isPresent() && verdict.score().isPresent()
            && verdict.score().getAsDouble() >= strictRejectScore.getAsDouble();
    }
}
