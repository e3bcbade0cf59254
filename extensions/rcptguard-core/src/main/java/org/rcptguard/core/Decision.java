package org.rcptguard.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one RCPT TO: what RcptGuard decided and why, what the client hears (the same, except in observe
 * mode), and the transaction as it stands afterwards.
 */
public final class Decision {
    public enum Outcome {
        /** Not RcptGuard's to decide (a domain it does not govern, a trusted client of a hosted domain): James decides. */
        NOT_MINE,
        /** A passed VALID recipient of a hosted domain: RcptGuard lets it through, James's own checks go on. */
        PASS,
        /** 250 from RcptGuard itself: a relayed domain's VALID recipient it lets through, a role account. */
        ACCEPT,
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
    private final Outcome reply;
    private final boolean underHarvest;

    Decision(Outcome outcome, Reason reason, RecipientClass recipientClass, TransactionState transaction) {
        this(outcome, reason, recipientClass, transaction, outcome, false);
    }

    private Decision(Outcome outcome, Reason reason, RecipientClass recipientClass, TransactionState transaction,
                     Outcome reply, boolean underHarvest) {
        this.outcome = Objects.requireNonNull(outcome);
        this.reason = Objects.requireNonNull(reason);
        this.recipientClass = recipientClass;
        this.transaction = Objects.requireNonNull(transaction);
        this.reply = Objects.requireNonNull(reply);
        this.underHarvest = underHarvest;
    }

    /** This decision, recorded but not applied (observe mode): the client hears {@code observedReply} instead. */
    Decision observed(Outcome observedReply) {
        return new Decision(outcome, reason, recipientClass, transaction, observedReply, underHarvest);
    }

    /** This decision, taken under the harvest response: the recipient's domain is under harvest, the network without reputation. */
    Decision underHarvest() {
        return new Decision(outcome, reason, recipientClass, transaction, reply, true);
    }

    /** Whether the harvest response applied: the scan threshold and first-contact delay were a harvest's. */
    public boolean isUnderHarvest() {
        return underHarvest;
    }

    /** What the client hears: the outcome, except in observe mode. */
    public Outcome reply() {
        return reply;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * Empty where the reply did not wait for a look-up of the recipient (trusted client, domain not governed, a
     * triplet not passed or a penalised network: docs/design.md, "No oracle before greylisting").
     */
    public Optional<RecipientClass> recipientClass() {
        return Optional.ofNullable(recipientClass);
    }

    public TransactionState transaction() {
        return transaction;
    }

    @Override
    public String toString() {
        return outcome + " (" + reason + (recipientClass == null ? "" : ", " + recipientClass) + ")";
    }
}
