package org.rcptguard.james.content;

import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.rcptguard.core.content.ContentPolicy;
import org.rcptguard.core.content.ContentProfile;

/**
 * One content profile per transaction: a recipient whose profile (opt-out, strict, normal) differs from the first
 * accepted recipient's gets {@code 452 4.5.3}, which RFC 5321 clients treat as "send the rest in another
 * transaction", so the one reply after DATA is true for every recipient. Listed first in the handler chain: it reads
 * only James's list of accepted recipients and the configured lists, so it neither depends on nor changes RcptGuard's
 * own decision, and runs even where a later hook accepts outright.
 */
public class RcptGuardContentPolicyHook implements RcptHook {
    static final HookResult OTHER_PROFILE = HookResult.builder()
        .hookReturnCode(HookReturnCode.denySoft())
        .smtpReturnCode("452")
        .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.DELIVERY_TOO_MANY_REC)
            + " Recipient of another content policy, send it in a separate transaction")
        .build();

    private final ContentPolicy policy;
    private final boolean enabled;

    @Inject
    public RcptGuardContentPolicyHook(ContentSettings settings) {
        this.policy = settings.policy();
        this.enabled = settings.enabled();
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        List<MailAddress> accepted = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction).orElse(List.of());
        if (!enabled || accepted.isEmpty()) {
            return HookResult.DECLINED;
        }
        ContentProfile first = policy.profileOf(accepted.get(0).asString());
        return policy.profileOf(rcpt.asString()) == first ? HookResult.DECLINED : OTHER_PROFILE;
    }
}
