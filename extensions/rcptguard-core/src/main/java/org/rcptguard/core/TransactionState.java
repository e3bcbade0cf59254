package org.rcptguard.core;

import java.util.Optional;

/**
 * What RcptGuard remembers within one SMTP transaction (MAIL FROM to end of DATA or RSET): the class of the
 * recipients that passed, whether the class changed, and how many recipients were accepted.
 */
public final class TransactionState {
    public static final TransactionState EMPTY = new TransactionState(null, false, 0, 0);

    private final RecipientClass transactionClass;
    private final boolean tripped;
    private final int namedRecipients;
    private final int acceptedRecipients;

    private TransactionState(RecipientClass transactionClass, boolean tripped, int namedRecipients, int acceptedRecipients) {
        this.transactionClass = transactionClass;
        this.tripped = tripped;
        this.namedRecipients = namedRecipients;
        this.acceptedRecipients = acceptedRecipients;
    }

    /** The class of the first recipient that passed greylisting in this transaction. */
    public Optional<RecipientClass> transactionClass() {
        return Optional.ofNullable(transactionClass);
    }

    /** True once the class changed under {@link MixedRecipientMode#DEFER_AFTER_CHANGE}: every later RCPT is deferred. */
    public boolean tripped() {
        return tripped;
    }

    /** Recipients an untrusted client named in this transaction, whatever the reply. */
    public int namedRecipients() {
        return namedRecipients;
    }

    public int acceptedRecipients() {
        return acceptedRecipients;
    }

    /** In reject mode {@code data}, an accepted INVALID recipient means the whole transaction is rejected after DATA. */
    public boolean rejectAfterData() {
        return transactionClass == RecipientClass.INVALID && acceptedRecipients > 0;
    }

    TransactionState named() {
        return new TransactionState(transactionClass, tripped, namedRecipients + 1, acceptedRecipients);
    }

    TransactionState withClass(RecipientClass recipientClass) {
        return new TransactionState(recipientClass, tripped, namedRecipients, acceptedRecipients);
    }

    TransactionState trip() {
        return new TransactionState(transactionClass, true, namedRecipients, acceptedRecipients);
    }

    TransactionState accepted() {
        return new TransactionState(transactionClass, tripped, namedRecipients, acceptedRecipients + 1);
    }

    @Override
    public String toString() {
        return "TransactionState{class=" + transactionClass + ", tripped=" + tripped + ", named=" + namedRecipients + ", accepted=" + acceptedRecipients + "}";
    }
}
