package org.rcptguard.james;

import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.rcptguard.core.Decision;

/**
 * The SMTP replies RcptGuard gives. One deferral text for everything an untrusted client can see (greylisting,
 * penalty, mixed recipients), carrying no address, so that it is byte-identical for valid and invalid recipients.
 */
final class Replies {
    static final HookResult DEFERRED = HookResult.builder()
        .hookReturnCode(HookReturnCode.denySoft())
        .smtpReturnCode(SMTPRetCode.LOCAL_ERROR)
        .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH) + " Please try again later")
        .build();

    static final HookResult RECIPIENT_LIMIT = HookResult.builder()
        .hookReturnCode(HookReturnCode.denySoft())
        .smtpReturnCode(SMTPRetCode.SYSTEM_STORAGE_ERROR)
        .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.DELIVERY_TOO_MANY_REC) + " One recipient per transaction, send the others separately")
        .build();

    static final HookResult UNKNOWN_USER = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.MAILBOX_PERM_UNAVAILABLE)
        .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_MAILBOX) + " Unknown user")
        .build();

    static final HookResult TEMPORARY_FAILURE = HookResult.builder()
        .hookReturnCode(HookReturnCode.denySoft())
        .smtpReturnCode(SMTPRetCode.LOCAL_ERROR)
        .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SYSTEM_OTHER) + " Temporary failure, please try again later")
        .build();

    private Replies() {
    }

    /** The reply RcptGuard decided, as James's hook chain takes it. */
    static HookResult of(Decision.Outcome reply) {
        switch (reply) {
            case NOT_MINE:
            case PASS:
                return HookResult.DECLINED;
            // Accepting outright is meant: James would refuse a relayed domain or a role account without an alias, and
            // in reject mode data the DATA hook rejects the transaction after the body.
            case ACCEPT:
            case ACCEPT_FOR_DATA_REJECTION:
                return HookResult.OK;
            case DEFER: return DEFERRED;
            case DEFER_RECIPIENT_LIMIT: return RECIPIENT_LIMIT;
            case REJECT_UNKNOWN_USER: return UNKNOWN_USER;
            default: return TEMPORARY_FAILURE;
        }
    }
}
