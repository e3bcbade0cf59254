package org.rcptguard.james;

import javax.inject.Inject;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptGuardMode;
import org.rcptguard.core.TransactionState;

/**
 * Reject mode {@code data}: a transaction whose accepted recipients are unknown users is rejected with 550 5.1.1
 * after the body, before James enqueues it. The mixed-recipient rule guarantees such a transaction holds no valid one.
 * In observe mode the rejection is logged and counted, and James goes on as if RcptGuard were absent.
 */
public class RcptGuardDataHook implements JamesMessageHook {
    private final DecisionRecorder recorder;
    private final boolean observing;

    @Inject
    public RcptGuardDataHook(DataStageRegistration dataStage, DecisionRecorder recorder, RcptGuardConfiguration configuration) {
        dataStage.register();
        this.recorder = recorder;
        this.observing = configuration.mode() == RcptGuardMode.OBSERVE;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        TransactionState transaction = TransactionAttachment.get(session);
        if (transaction.rejectAfterData()) {
            recorder.recordDataRejection(session, transaction.acceptedRecipients());
            return observing ? HookResult.DECLINED : Replies.UNKNOWN_USER;
        }
        return HookResult.DECLINED;
    }
}
