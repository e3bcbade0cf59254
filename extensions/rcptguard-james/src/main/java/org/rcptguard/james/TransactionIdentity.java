package org.rcptguard.james;

import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.smtp.SMTPSession;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.identity.IdentityQuery;
import org.rcptguard.core.identity.IdentityResolver;

/**
 * The client's identity for the current transaction, resolved once at its first RCPT and kept in the SMTP session
 * (James clears it at RSET, HELO/EHLO and the end of DATA): however many recipients follow, one SPF evaluation per
 * client and MAIL FROM.
 */
final class TransactionIdentity {
    private static final AttachmentKey<Resolved> KEY = AttachmentKey.of("rcptguard.identity", Resolved.class);

    private TransactionIdentity() {
    }

    /** The identity for this session's client, HELO name and {@code sender}; resolved now only if not yet known. */
    static ClientIdentity of(SMTPSession session, MaybeSender sender, IdentityResolver resolver) {
        String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
        IdentityQuery query = IdentityQuery.of(session.getRemoteAddress().getAddress(), helo, sender.asString(""));
        Optional<Resolved> known = session.getAttachment(KEY, ProtocolSession.State.Transaction)
            .filter(resolved -> resolved.query.equals(query));
        if (known.isPresent()) {
            return known.get().identity;
        }
        ClientIdentity identity = resolver.resolve(query);
        session.setAttachment(KEY, new Resolved(query, identity), ProtocolSession.State.Transaction);
        return identity;
    }

    /** A query and its answer: the answer is reused only for the very same query. */
    static final class Resolved {
        private final IdentityQuery query;
        private final ClientIdentity identity;

        Resolved(IdentityQuery query, ClientIdentity identity) {
            this.query = Objects.requireNonNull(query);
            this.identity = Objects.requireNonNull(identity);
        }
    }
}
