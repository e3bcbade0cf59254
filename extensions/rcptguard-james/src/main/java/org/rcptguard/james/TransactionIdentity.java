package org.rcptguard.james;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

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
        InetAddress client = session.getRemoteAddress().getAddress();
        String helo = helo(session);
        IdentityQuery query = IdentityQuery.of(client, helo, sender.asString(""));
        session.setAttachment(KEY, new Started(client, helo, sender, query, resolver.start(query)), ProtocolSession.State.Transaction);
    }

    /** The identity for this session's client, HELO name and {@code sender}; started now only if not yet started. */
    static ClientIdentity of(SMTPSession session, MaybeSender sender, IdentityResolver resolver) {
        InetAddress client = session.getRemoteAddress().getAddress();
        String helo = helo(session);
        Optional<Started> started = session.getAttachment(KEY, ProtocolSession.State.Transaction);
        // Every RCPT of a transaction asks with what MAIL FROM started: compared as given, no query built.
        if (started.isPresent() && started.get().askedWith(client, helo, sender)) {
            return started.get().identity.await();
        }
        IdentityQuery query = IdentityQuery.of(client, helo, sender.asString(""));
        Pending<ClientIdentity> pending = started
            .filter(earlier -> earlier.query.equals(query))
            .map(earlier -> earlier.identity)
            .orElseGet(() -> {
                Pending<ClientIdentity> identity = resolver.start(query);
                session.setAttachment(KEY, new Started(client, helo, sender, query, identity), ProtocolSession.State.Transaction);
                return identity;
            });
        return pending.await();
    }

    private static String helo(SMTPSession session) {
        return session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
    }

    /**
     * A query, what it was built from as the session gave it, and its evaluation: the evaluation is reused only for
     * the very same query.
     */
    static final class Started {
        private final InetAddress client;
        private final String helo;
        private final MaybeSender sender;
        private final IdentityQuery query;
        private final Pending<ClientIdentity> identity;

        Started(InetAddress client, String helo, MaybeSender sender, IdentityQuery query, Pending<ClientIdentity> identity) {
            this.client = Objects.requireNonNull(client);
            this.helo = Objects.requireNonNull(helo);
            this.sender = Objects.requireNonNull(sender);
            this.query = Objects.requireNonNull(query);
            this.identity = Objects.requireNonNull(identity);
        }

        boolean askedWith(InetAddress client, String helo, MaybeSender sender) {
            return this.client.equals(client) && this.helo.equals(helo) && this.sender.equals(sender);
        }
    }
}
