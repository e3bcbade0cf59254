package org.rcptguard.james;

import java.util.Optional;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.smtp.SMTPSession;
import org.rcptguard.core.TransactionState;

/** RcptGuard's per-transaction state, kept in the SMTP session: James clears it at RSET, HELO/EHLO and end of DATA. */
final class TransactionAttachment {
    private static final AttachmentKey<TransactionState> KEY = AttachmentKey.of("rcptguard.transaction", TransactionState.class);

    private TransactionAttachment() {
    }

    static TransactionState get(SMTPSession session) {
        return session.getAttachment(KEY, ProtocolSession.State.Transaction).orElse(TransactionState.EMPTY);
    }

    static Optional<TransactionState> set(SMTPSession session, TransactionState state) {
        return session.setAttachment(KEY, state, ProtocolSession.State.Transaction);
    }
}
