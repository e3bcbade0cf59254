package org.rcptguard.core.content;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One scanner's answer about one message: the action it asks for, why (rspamd's SMTP message, ClamAV's signature),
 * its score when it has one, and the header changes it asks for when the message is accepted.
 */
public final class Verdict {
    private final Action action;
    private final String reason;
    private final OptionalDouble score;
    private final List<HeaderChange> headerChanges;
    private final Optional<String> subject;

    private Verdict(Action action, String reason, OptionalDouble score, List<HeaderChange> headerChanges, Optional<String> subject) {
        this.action = Objects.requireNonNull(action);
        this.reason = Objects.requireNonNull(reason);
        this.score = score;
        this.headerChanges = List.copyOf(headerChanges);
        this.subject = subject;
    }

    public static Verdict clean() {
        return new Verdict(Action.NO_ACTION, "", OptionalDouble.empty(), List.of(), Optional.empty());
    }

    /** ClamAV's {@code FOUND}: the signature is the reason. */
    public static Verdict infected(String signature) {
        return new Verdict(Action.REJECT, signature, OptionalDouble.empty(), List.of(), Optional.empty());
    }

    public static Verdict of(Action action, String reason, OptionalDouble score, List<HeaderChange> headerChanges,
                             Optional<String> subject) {
        return new Verdict(action, reason, score, headerChanges, subject);
    }

    public Action action() {
        return action;
    }

    public String reason() {
        return reason;
    }

    public OptionalDouble score() {
        return score;
    }

    public List<HeaderChange> headerChanges() {
        return headerChanges;
    }

    /** The new subject a {@link Action#REWRITE_SUBJECT} verdict asks for, if the scanner said which. */
    public Optional<String> subject() {
        return subject;
    }

    @Override
    public String toString() {
        return action.label() + (reason.isEmpty() ? "" : " (" + reason + ")")
            + (score.isPresent() ? " score=" + score.getAsDouble() : "");
    }
}
