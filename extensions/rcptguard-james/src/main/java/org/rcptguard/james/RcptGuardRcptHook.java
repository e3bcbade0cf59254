package org.rcptguard.james;

import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.rcptguard.core.Decision;
import org.rcptguard.core.LogText;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptGuardMode;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.core.ReplyFloor;
import org.rcptguard.core.TransactionState;
import org.rcptguard.james.directory.RelayDomains;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greylist-before-reject at RCPT TO. Declines (lets James's own hooks decide) for trusted clients, domains it does
 * not govern and passed valid recipients; defers, or rejects passed unknown users, otherwise. Must be listed
 * before James's {@code ValidRcptHandler}, which still rejects unknown users for trusted clients.
 *
 * <p>Every decision is logged, counted and measured. In observe mode ({@code mode=observe}) the decision is made
 * and recorded (state included) but never applied: the hook always declines, as if it were absent.
 */
public class RcptGuardRcptHook implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RcptGuardRcptHook.class);

    private final RcptPolicy policy;
    private final DataStageRegistration dataStage;
    private final DecisionRecorder recorder;
    private final MetricFactory metricFactory;
    private final RelayDomains relayDomains;
    private final ReplyFloor replyFloor;
    private final boolean observing;

    @Inject
    public RcptGuardRcptHook(RcptPolicy policy, DataStageRegistration dataStage, DecisionRecorder recorder,
                             MetricFactory metricFactory, RcptGuardConfiguration configuration, RelayDomains relayDomains,
                             ReplyFloor replyFloor) {
        this.policy = policy;
        this.replyFloor = replyFloor;
        this.relayDomains = relayDomains;
        this.dataStage = dataStage;
        this.recorder = recorder;
        this.metricFactory = metricFactory;
        this.observing = configuration.mode() == RcptGuardMode.OBSERVE;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        long start = System.nanoTime();
        TimeMetric timer = metricFactory.timer(RcptGuardMetrics.DECISION_TIMER);
        Optional<Decision> decision;
        HookResult result;
        try {
            decision = decide(session, sender, rcpt);
            if (observing) {
                return relayDomains.isRelayed(rcpt) ? verifyRelayed(session, rcpt) : HookResult.DECLINED;
            }
            result = decision.map(decided -> reply(session, rcpt, decided)).orElse(Replies.TEMPORARY_FAILURE);
        } finally {
            timer.stopAndPublish();
        }
        // After the timer, which measures RcptGuard's work, not this deliberate wait.
        decision.ifPresent(decided -> replyFloor.hold(decided, rcpt, start));
        return result;
    }

    /** The policy's decision, recorded (in observe mode too); empty when deciding failed: a bug costs a retry, nothing else. */
    private Optional<Decision> decide(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        try {
            RcptRequest request = new RcptRequest(session.getRemoteAddress().getAddress(), session.getUsername() != null,
                session.isRelayingAllowed(), sender, rcpt);
            Decision decision = policy.decide(request, TransactionAttachment.get(session));
            TransactionAttachment.set(session, decision.transaction());
            recorder.record(session, request, decision);
            return Optional.of(decision);
        } catch (RuntimeException e) {
            LOGGER.error("RcptGuard failed to decide {}: deferring", LogText.escape(rcpt.asString()), e);
            TransactionAttachment.set(session, TransactionState.EMPTY);
            return Optional.empty();
        }
    }

    private HookResult reply(SMTPSession session, MailAddress rcpt, Decision decision) {
        try {
            if (decision.outcome() == Decision.Outcome.ACCEPT_FOR_DATA_REJECTION && !dataStage.isRegistered()) {
                LOGGER.error("reject.mode=data needs {} in smtpserver.xml: deferring {} instead of accepting it",
                    RcptGuardDataHook.class.getName(), LogText.escape(rcpt.asString()));
                return Replies.TEMPORARY_FAILURE;
            }
            if (decision.outcome() == Decision.Outcome.DECLINE && decision.reason() != Decision.Reason.NOT_GOVERNED
                && relayDomains.isRelayed(rcpt)) {
                // James refuses to relay for an unauthenticated client: RcptGuard is the relayed domain's recipient check.
                return decision.reason() == Decision.Reason.PASSED ? HookResult.OK : verifyRelayed(session, rcpt);
            }
            if (decision.outcome() == Decision.Outcome.DECLINE && decision.reason() != Decision.Reason.NOT_GOVERNED
                && RoleAccounts.contains(rcpt)) {
                // Accepting outright is meant: James's ValidRcptHandler would refuse abuse@ without an alias.
                return HookResult.OK;
            }
            return Replies.of(decision);
        } catch (RuntimeException e) {
            // A bug must cost a retry, never a 5xx for a valid recipient nor a 250 for an unknown one.
            LOGGER.error("RcptGuard failed to reply to {}: deferring", LogText.escape(rcpt.asString()), e);
            TransactionAttachment.set(session, TransactionState.EMPTY);
            return Replies.TEMPORARY_FAILURE;
        }
    }

    /**
     * A relayed domain's recipient for a client RcptGuard does not greylist (trusted, or observe mode): what James's
     * {@code ValidRcptHandler} does for a hosted domain, with the domain's directory.
     */
    private HookResult verifyRelayed(SMTPSession session, MailAddress rcpt) {
        if (session.getUsername() != null || session.isRelayingAllowed()) {
            return HookResult.DECLINED;
        }
        switch (relayDomains.classifyForTrustedClient(rcpt)) {
            case VALID: return HookResult.OK;
            case INVALID: return Replies.UNKNOWN_USER;
            default: return Replies.TEMPORARY_FAILURE;
        }
    }
}
