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
import org.rcptguard.core.TransactionState;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.identity.IdentityResolver;
import org.rcptguard.core.identity.VerifiedNameResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greylist-before-reject at RCPT TO: asks {@link RcptPolicy} and applies the reply it decided. Must be listed before
 * James's {@code ValidRcptHandler}, which still rejects unknown users for trusted clients.
 *
 * <p>Every decision is logged, counted and measured. In observe mode ({@code mode=observe}) the decision is made
 * and recorded (state included) but the client hears what James alone would say ({@link Decision#reply()}).
 */
public class RcptGuardRcptHook implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RcptGuardRcptHook.class);

    private final RcptPolicy policy;
    private final DecisionRecorder recorder;
    private final MetricFactory metricFactory;
    private final IdentityResolver identities;
    private final VerifiedNameResolver names;
    private final RcptGuardConfiguration configuration;
    private final boolean observing;

    @Inject
    public RcptGuardRcptHook(RcptPolicy policy, DecisionRecorder recorder, MetricFactory metricFactory,
                             RcptGuardConfiguration configuration, IdentityResolver identities, VerifiedNameResolver names) {
        this.policy = policy;
        this.identities = identities;
        this.names = names;
        this.configuration = configuration;
        this.recorder = recorder;
        this.metricFactory = metricFactory;
        this.observing = configuration.mode() == RcptGuardMode.OBSERVE;
    }

    /**
     * Resolved once per transaction (started at MAIL FROM by {@link RcptGuardMailHook}) and only for a client RcptGuard
     * may greylist: it depends on the client, HELO and sender alone, never on the recipient (docs/design.md, "No oracle
     * before greylisting").
     */
    private Optional<ClientIdentity> identity(SMTPSession session, MaybeSender sender) {
        if (!TransactionIdentity.governs(session)) {
            return Optional.empty();
        }
        return Optional.of(TransactionIdentity.of(session, sender, identities)).filter(ClientIdentity::isProven);
    }

    /**
     * Looked up once per connection (started at MAIL FROM), only when postgrey's name entries need it: it depends on
     * the client address alone, never on the recipient.
     */
    private Optional<String> verifiedName(SMTPSession session) {
        return VerifiedClientName.wanted(session, configuration) ? VerifiedClientName.of(session, names) : Optional.empty();
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        TimeMetric timer = metricFactory.timer(RcptGuardMetrics.DECISION_TIMER);
        try {
            RcptRequest request = new RcptRequest(session.getRemoteAddress().getAddress(), session.getUsername() != null,
                session.isRelayingAllowed(), sender, rcpt, identity(session, sender), verifiedName(session));
            Decision decision = policy.decide(request, TransactionAttachment.get(session));
            TransactionAttachment.set(session, decision.transaction());
            recorder.record(session, request, decision);
            return Replies.of(decision.reply());
        } catch (RuntimeException e) {
            // A bug costs a retry (James alone decides while observing): never a 5xx for a valid recipient nor a 250
            // for an unknown one.
            LOGGER.error("RcptGuard failed to decide {}: {}", LogText.escape(rcpt.asString()), observing ? "leaving it to James" : "deferring", e);
            TransactionAttachment.set(session, TransactionState.EMPTY);
            return observing ? HookResult.DECLINED : Replies.TEMPORARY_FAILURE;
        } finally {
            timer.stopAndPublish();
        }
    }
}
