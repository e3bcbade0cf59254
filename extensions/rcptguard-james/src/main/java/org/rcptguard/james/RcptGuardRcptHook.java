package org.rcptguard.james;

import java.util.Map;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.rcptguard.core.Decision;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greylist-before-reject at RCPT TO. Declines (lets James's own hooks decide) for trusted clients, domains it does
 * not govern and passed valid recipients; defers, or rejects passed unknown users, otherwise. Must be listed
 * before James's {@code ValidRcptHandler}, which still rejects unknown users for trusted clients.
 */
public class RcptGuardRcptHook implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RcptGuardRcptHook.class);

    private final RcptPolicy policy;
    private final DataStageRegistration dataStage;
    private final DecisionLog decisionLog;

    @Inject
    public RcptGuardRcptHook(RcptPolicy policy, DataStageRegistration dataStage, DecisionLog decisionLog) {
        this.policy = policy;
        this.dataStage = dataStage;
        this.decisionLog = decisionLog;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        try {
            RcptRequest request = new RcptRequest(session.getRemoteAddress().getAddress(), session.getUsername() != null,
                session.isRelayingAllowed(), sender.asString(""), rcpt.asString());
            Decision decision = policy.decide(request, TransactionAttachment.get(session));
            TransactionAttachment.set(session, decision.transaction());
            decisionLog.log(session, request, decision);
            if (decision.outcome() == Decision.Outcome.ACCEPT_FOR_DATA_REJECTION && !dataStage.isRegistered()) {
                LOGGER.error("reject.mode=data needs {} in smtpserver.xml: deferring {} instead of accepting it",
                    RcptGuardDataHook.class.getName(), rcpt.asString());
                return Replies.TEMPORARY_FAILURE;
            }
            if (decision.outcome() == Decision.Outcome.DECLINE && decision.reason() != Decision.Reason.NOT_GOVERNED
                && RoleAccounts.contains(rcpt)) {
                // Accepting outright is meant: James's ValidRcptHandler would refuse abuse@ without an alias.
                return HookResult.OK;
            }
            return Replies.of(decision);
        } catch (RuntimeException e) {
            // A bug must cost a retry, never a 5xx for a valid recipient nor a 250 for an unknown one.
            LOGGER.error("RcptGuard failed to decide {}: deferring", rcpt.asString(), e);
            TransactionAttachment.set(session, TransactionState.EMPTY);
            return Replies.TEMPORARY_FAILURE;
        }
    }
}
