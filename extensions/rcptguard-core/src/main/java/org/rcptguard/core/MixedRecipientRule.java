package org.rcptguard.core;

/** Keeps the recipients accepted in one transaction of one class, so that the one reply after DATA is true for all. */
final class MixedRecipientRule {
    private final MixedRecipientMode mode;

    MixedRecipientRule(MixedRecipientMode mode) {
        this.mode = mode;
    }

    /** In {@code one-recipient-per-transaction}, every RCPT after the first of an untrusted client is refused (452). */
    boolean limitsRecipients(TransactionState transaction) {
        return mode == MixedRecipientMode.ONE_RECIPIENT_PER_TRANSACTION && transaction.namedRecipients() > 1;
    }

    /** True when a passed recipient of {@code recipientClass} must be deferred to keep the transaction of one class. */
    boolean defers(TransactionState transaction, RecipientClass recipientClass) {
        return transaction.tripped()
            || transaction.transactionClass().map(first -> first != recipientClass).orElse(false);
    }

    /** After a class change, {@code defer-after-change} defers every later RCPT too; {@code same-class} does not. */
    TransactionState afterDeferral(TransactionState transaction) {
        return mode == MixedRecipientMode.DEFER_AFTER_CHANGE ? transaction.trip() : transaction;
    }
}
