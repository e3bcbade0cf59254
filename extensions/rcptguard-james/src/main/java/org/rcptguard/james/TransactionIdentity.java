package org.rcptguard.james;

import java.util.Objects;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.smtp.SMTPSession;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.identity.IdentityQuery;
import org.rcptguard.core.identity.IdentityResolver;
import org.rcptguard.core.identity.Pending;

/**
 * The client's identity for the current transaction: started at MAIL FROM ({@link RcptGuardMailHook}), awaited at the
 * first RCPT, kept in the SMTP session's transaction state (James clears it at RSET, HELO/EHLO and the end of DATA, and
 * refuses a second MAIL FROM without one): however many recipients follow, one SPF evaluation per client and MAIL FROM.
 * Where the MAIL hook is not configured, the first RCPT starts it.
 */
final class TransactionIdentity {
    private static final AttachmentKey<Started> KEY = AttachmentKey.of("rcptguard.identity", Started.class);

    private TransactionIdentity() {
    }

    /**
     * Whether RcptGuard may greylist this session's client, so that its identity is worth evaluating: not an
     * authenticated user, not a client allowed to relay.
     */
    static boolean governs(SMTPSession session) {
        return session.getUsername() == null && !session.isRelayingAllowed();
    }

    /** Starts the evaluation for this session's client, HELO name and {@code sender}; returns at once. */
    static void start(SMTPSession session, MaybeSender sender, IdentityResolver resolver) {
        IdentityQuery query = query(session, sender);
        session.setAttachment(KEY, new Started(query, resolver.start(query)), ProtocolSession.State.Transaction);
    }

    /** The identity for this session's client, HELO name and {@code sender}; started now only if not yet started. */
    static ClientIdentity of(SMTPSession session, MaybeSender sender, IdentityResolver resolver) {
        IdentityQuery query = query(session, sender);
        Pending<ClientIdentity> pending = session.getAttachment(KEY, ProtocolSession.State.Transaction)
            .filter(started -> started.query.equals(query))
            .map(started -> started.identity)
            .orElseGet(() -> {
                Pending<ClientIdentity> identity = resolver.start(query);
                session.setAttachment(KEY, new Started(query, identity), ProtocolSession.State.Transaction);
                return identity;
            });
        return pending.await();
    }

    private static IdentityQuery query(SMTPSession session, MaybeSender sender) {
        String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
        return IdentityQuery.of(session.getRemoteAddress().getAddress(), helo, sender.asString(""));
    }

    /** A query and its evaluation: the evaluation is reused only for the very same query. */
    static final class Started {
        private final IdentityQuery query;
        private final Pending<ClientIdentity> identity;

        Started(IdentityQuery query, Pending<ClientIdentity> identity) {
            this.query = Objects.requireNonNull(query);
            this.identity = Objects.requireNonNull(identity);
        }
    }
}
