package org.rcptguard.james.inline;

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

/**
 * One route per transaction: a recipient whose route (a backend delivered to in-line, or James's queue for hosted and
 * queued domains) differs from the first accepted recipient's gets {@code 452 4.5.3}, which RFC 5321 clients treat as
 * "send the rest in another transaction"; so the one reply after DATA is one destination's. Listed first in the
 * handler chain, beside the content-policy hook, for the same reasons.
 */
public class InlineRouteHook implements RcptHook {
    static final HookResult OTHER_ROUTE = HookResult.builder()
        .hookReturnCode(HookReturnCode.denySoft())
        .smtpReturnCode("452")
        .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.DELIVERY_TOO_MANY_REC)
            + " Recipient of another destination, send it in a separate transaction")
        .build();

    private final InlineBackends backends;

    @Inject
    public InlineRouteHook(InlineBackends backends) {
        this.backends = backends;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        List<MailAddress> accepted = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction).orElse(List.of());
        if (!backends.enabled() || accepted.isEmpty()) {
            return HookResult.DECLINED;
        }
        return backends.routeOf(rcpt).equals(backends.routeOf(accepted.get(0))) ? HookResult.DECLINED : OTHER_ROUTE;
    }
}
