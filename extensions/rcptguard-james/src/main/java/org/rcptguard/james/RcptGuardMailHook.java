package org.rcptguard.james;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.identity.IdentityResolver;
import org.rcptguard.core.identity.VerifiedNameResolver;

/**
 * Starts the client identity's evaluation at MAIL FROM, and the look-up of its verified name when postgrey's name
 * entries need it, on the identity resolver's own threads, so that the DNS look-ups run while the client sends its
 * first RCPT; {@link RcptGuardRcptHook} awaits what is left of the bound. Never decides anything about MAIL FROM itself.
 */
public class RcptGuardMailHook implements MailHook {
    private final IdentityResolver identities;
    private final VerifiedNameResolver names;
    private final RcptGuardConfiguration configuration;

    @Inject
    public RcptGuardMailHook(IdentityResolver identities, VerifiedNameResolver names, RcptGuardConfiguration configuration) {
        this.identities = identities;
        this.names = names;
        this.configuration = configuration;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (TransactionIdentity.governs(session)) {
            TransactionIdentity.start(session, sender, identities);
        }
        if (VerifiedClientName.wanted(session, configuration)) {
            VerifiedClientName.start(session, names);
        }
        return HookResult.DECLINED;
    }
}
