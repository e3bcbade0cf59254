package org.rcptguard.james.inline;

import java.time.Clock;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.rcptguard.core.directory.VerificationCache;
import org.rcptguard.james.DecisionLog;
import org.rcptguard.james.SpooledMessage;
import org.rcptguard.james.directory.DirectoryProvider;

/**
 * In-line delivery (docs/design.md, "In-line delivery"): for a transaction whose recipients belong to a domain
 * delivered in-line, the message is relayed to the domain's backend now, at the end of DATA, and the client hears the
 * backend's verdict. A backend 250 answers 250 with {@link HookReturnCode#ok()}, which ends James's message hooks
 * before its own enqueue: no local copy, nothing to bounce or lose. Listed last among RcptGuard's DATA-stage hooks, so
 * that reject mode {@code data} and the content verdicts have refused what they refuse before anything is relayed.
 */
public class InlineDeliveryHook implements JamesMessageHook {
    private final InlineBackends backends;
    private final InlineRelay relay;
    private final VerificationCache cache;
    private final DirectoryConfiguration directory;
    private final InlineMetrics metrics;
    private final DecisionLog log;
    private final Clock clock;

    @Inject
    public InlineDeliveryHook(InlineBackends backends, DirectoryConfiguration directory, VerificationCache cache,
                              InlineMetrics metrics, DecisionLog log, Clock clock) {
        this.backends = backends;
        this.directory = directory;
        this.relay = backends.enabled()
            ? new InlineRelay(directory.inline(), DirectoryProvider.helo(directory), backends.deadlines()) : null;
        this.cache = cache;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (relay == null || mail.getRecipients().isEmpty()) {
            return HookResult.DECLINED;
        }
        List<MailAddress> recipients = List.copyOf(mail.getRecipients());
        InlineBackend backend = backends.of(recipients.get(0)).orElse(null);
        if (backend == null) {
            return HookResult.DECLINED;
        }
        if (recipients.stream().anyMatch(recipient -> !backends.routeOf(recipient).equals(backend.name()))) {
            // The route hook keeps one route per transaction; without it listed, no reply could be true for all.
            return InlineReplies.MIXED_ROUTES;
        }
        RelayOutcome outcome = relayed(backend, mail, recipients);
        backend.record(outcome, clock.instant());
        if (outcome.kind() == RelayOutcome.Kind.STALE_RECIPIENT) {
            outcome.staleRecipients().forEach(stale ->
                cache.save(Addresses.key(stale), RecipientClass.INVALID, directory.negativeTtl()));
        }
        HookResult reply = InlineReplies.of(outcome);
        log.logInline(session, backend.name(), recipients.size(), outcome, reply.getSmtpRetCode() + " " + reply.getSmtpDescription());
        return reply;
    }

    private RelayOutcome relayed(InlineBackend backend, Mail mail, List<MailAddress> recipients) {
        if (!backend.tryOpenSession()) {
            metrics.record(RelayOutcome.Kind.BUSY);
            return RelayOutcome.failed(RelayOutcome.Kind.BUSY, backend.sessionsInFlight() + " sessions");
        }
        try {
            return metrics.timed(() -> relay.relay(backend, mail.getMaybeSender(), recipients, SpooledMessage.of(mail)));
        } finally {
            backend.closeSession();
        }
    }
}
