package org.rcptguard.james;

import java.util.Objects;
import java.util.Optional;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.smtp.SMTPSession;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.identity.Pending;
import org.rcptguard.core.identity.VerifiedNameResolver;

/**
 * The client's verified (forward-confirmed reverse) name, which postgrey's client name entries match: looked up at the
 * connection's first MAIL FROM ({@link RcptGuardMailHook}), beside the identity and on the same bounded threads,
 * awaited at the first RCPT, then kept in the session's connection state: it depends on the client address alone, so
 * later transactions of the connection reuse it without asking DNS again. Where the MAIL hook is not configured, the
 * first RCPT starts it.
 */
final class VerifiedClientName {
    private static final AttachmentKey<Started> KEY = AttachmentKey.of("rcptguard.verified.name", Started.class);

    private VerifiedClientName() {
    }

    /**
     * Whether this session's client needs its name: postgrey's files have name entries and RcptGuard may greylist the
     * client. Otherwise no look-up at all: a file of addresses costs no DNS.
     */
    static boolean wanted(SMTPSession session, RcptGuardConfiguration configuration) {
        return configuration.postgreyWhitelist().hasClientNames() && TransactionIdentity.governs(session);
    }

    /** Starts the look-up for this session's client unless the connection has one already; returns at once. */
    static void start(SMTPSession session, VerifiedNameResolver resolver) {
        started(session, resolver);
    }

    /** The verified name, within what is left of the look-up's bound; empty when there is none. */
    static Optional<String> of(SMTPSession session, VerifiedNameResolver resolver) {
        return started(session, resolver).name.await();
    }

    private static Started started(SMTPSession session, VerifiedNameResolver resolver) {
        return session.getAttachment(KEY, ProtocolSession.State.Connection).orElseGet(() -> {
            Started started = new Started(resolver.startVerifiedName(session.getRemoteAddress().getAddress()));
            session.setAttachment(KEY, started, ProtocolSession.State.Connection);
            return started;
        });
    }

    /** The look-up; a class of its own because an attachment's key names a class, not a generic type. */
    static final class Started {
        private final Pending<Optional<String>> name;

        Started(Pending<Optional<String>> name) {
            this.name = Objects.requireNonNull(name);
        }
    }
}
