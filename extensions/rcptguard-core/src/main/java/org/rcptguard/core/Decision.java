package org.rcptguard.core;

import java.util.Objects;
import java.util.Optional;

/** The answer to one RCPT TO: what to reply, why, and the transaction as it stands afterwards. */
public final class Decision {
    public enum Outcome {
        /** Not RcptGuard's to decide, or allowed: James's own hooks decide as usual. */
        DECLINE,
        /** Reject mode {@code data}: accept this INVALID recipient now, reject the transaction after DATA. */
        ACCEPT_FOR_DATA_REJECTION,
        /** 451 4.7.1, the one deferral an untrusted client sees, whatever the reason. */
        DEFER,
        /** 452 4.5.3, one recipient per transaction while untrusted. */
        DEFER_RECIPIENT_LIMIT,
        /** 550 5.1.1, an unknown user whose triplet has passed. */
        REJECT_UNKNOWN_USER,
        /** 451 4.3.0, the directory or the store could not answer. */
        TEMPORARY_FAILURE
    }

    public enum Reason {
        NOT_GOVERNED, AUTHENTICATED, RELAY_ALLOWED, WHITELISTED_CLIENT, WHITELISTED_SENDER, RECIPIENT_OPT_OUT,
        AUTO_WHITELISTED, DIRECTORY_FAILURE, STORE_FAILURE, PENALISED, GREYLISTED, MIXED_RECIPIENTS,
        RECIPIENT_LIMIT, PASSED, UNKNOWN_USER
    }

    private final Outcome outcome;
    private final Reason reason;
    private final RecipientClass recipientClass;
    private final TransactionState transaction;
    private final Penalty imposedPenalty;

    Decision(Outcome outcome, Reason reason, RecipientClass recipientClass, TransactionState transaction) {
        this(outcome, reason, recipientClass, transaction, null);
    }

    private Decision(Outcome outcome, Reason reason, RecipientClass recipientClass, TransactionState transaction,
                     Penalty imposedPenalty) {
        this.outcome = Objects.requireNonNull(outcome);
        this.reason = Objects.requireNonNull(reason);
        this.recipientClass = recipientClass;
        this.transaction = Objects.requireNonNull(transaction);
        this.imposedPenalty = imposedPenalty;
    }

    Decision withImposedPenalty(Optional<Penalty> penalty) {
        return penalty.map(imposed -> new Decision(outcome, reason, recipientClass, transaction, imposed)).orElse(this);
    }

    /**
     * The penalty this RCPT imposed or raised on its client network (an unknown recipient beyond the scan threshold),
     * if any.
     */
    public Optional<Penalty> imposedPenalty() {
        return Optional.ofNullable(imposedPenalty);
    }

    public Outcome outcome() {
        return outcome;
    }

    public Reason reason() {
        return reason;
    }

    /** Empty where the recipient was not looked up (trusted client, domain not governed). */
    public Optional<RecipientClass> recipientClass() {
        return Optional.ofNullable(recipientClass);
    }

    public TransactionState transaction() {
        return transaction;
    }

    /**
     * A deferral of a triplet that has not passed (greylisted or penalised): the same reply whatever the recipient's
     * class, so neither it nor its time may tell the class (promise 3, {@link ReplyFloor}).
     */
    public boolean hidesRecipientClass() {
        return outcome == Outcome.DEFER && (reason == Reason.GREYLISTED || reason == Reason.PENALISED);
    }

    @Override
    public String toString() {
        return outcome + " (" + reason + (recipientClass == null ? "" : ", " + recipientClass) + ")";
    }
}
