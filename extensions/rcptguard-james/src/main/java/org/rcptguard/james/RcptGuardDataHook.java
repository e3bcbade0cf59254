package org.rcptguard.james;

import javax.inject.Inject;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

/**
 * Reject mode {@code data}: a transaction whose accepted recipients are unknown users is rejected with 550 5.1.1
 * after the body, before James enqueues it. The mixed-recipient rule guarantees such a transaction holds no valid one.
 */
public class RcptGuardDataHook implements JamesMessageHook {
    @Inject
    public RcptGuardDataHook(DataStageRegistration dataStage) {
        dataStage.register();
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (TransactionAttachment.get(session).rejectAfterData()) {
            return Replies.UNKNOWN_USER;
        }
        return HookResult.DECLINED;
    }
}
