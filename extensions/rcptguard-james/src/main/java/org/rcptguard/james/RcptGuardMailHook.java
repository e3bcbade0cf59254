package org.rcptguard.james;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.rcptguard.core.identity.IdentityResolver;

/**
 * Starts the client identity's evaluation at MAIL FROM, on the identity resolver's own threads, so that the SPF look-ups
 * run while the client sends its first RCPT; {@link RcptGuardRcptHook} awaits what is left of the bound. Never decides
 * anything about MAIL FROM itself.
 */
public class RcptGuardMailHook implements MailHook {
    private final IdentityResolver identities;

    @Inject
    public RcptGuardMailHook(IdentityResolver identities) {
        this.identities = identities;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (TransactionIdentity.governs(session)) {
            TransactionIdentity.start(session, sender, identities);
        }
        return HookResult.DECLINED;
    }
}
