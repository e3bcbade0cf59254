package org.rcptguard.james.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.rcptguard.core.content.ContentProfile;
import org.rcptguard.core.content.ContentReply;
import org.rcptguard.core.content.ContentRules;
import org.rcptguard.core.content.Envelope;
import org.rcptguard.core.content.HeaderChange;
import org.rcptguard.core.content.MessageContent;
import org.rcptguard.core.content.ScanOutcome;
import org.rcptguard.james.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content verdicts at the end of DATA, before James enqueues the message: spam and viruses are refused in the
 * session, so the sending server owns the failure and nothing is ever bounced. The scanners are asked in turn
 * (clamd, then rspamd); the first refusal is the reply; an accepted message gets the header changes they asked for.
 * Listed in {@code smtpserver.xml} after RcptGuard's DATA hook; does nothing when no scanner is set.
 */
public class ContentScanHook implements JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(ContentScanHook.class);

    private final List<ConfiguredScanner> scanners;
    private final ContentSettings settings;
    private final ContentRules rules;

    @Inject
    public ContentScanHook(ContentScanners scanners, ContentSettings settings) {
        this.scanners = scanners.all();
        this.settings = settings;
        this.rules = new ContentRules(settings.strictRejectScore());
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (scanners.isEmpty() || mail.getRecipients().isEmpty()) {
            return HookResult.DECLINED;
        }
        boolean trusted = session.getUsername() != null || session.isRelayingAllowed();
        if (trusted && !settings.scanTrustedClients()) {
            return HookResult.DECLINED;
        }
        // The RCPT hook keeps one profile per transaction: the first recipient's is every recipient's.
        ContentProfile profile = settings.policy().profileOf(mail.getRecipients().iterator().next().asString());
        if (profile == ContentProfile.OPT_OUT) {
            return HookResult.DECLINED;
        }
        Envelope envelope = envelope(session, mail);
        MessageContent content = SpooledMessage.of(mail);
        List<HeaderChange> changes = new ArrayList<>();
        Optional<String> subject = Optional.empty();
        for (ConfiguredScanner scanner : scanners) {
            ScanOutcome outcome = scanner.scan(envelope, content);
            ContentReply reply = rules.reply(outcome, scanner.onFailure(), profile);
            log(envelope, scanner, outcome, reply);
            if (!reply.accepted()) {
                return HookResult.builder()
                    .hookReturnCode(reply.kind() == ContentReply.Kind.REJECT ? HookReturnCode.deny() : HookReturnCode.denySoft())
                    .smtpReturnCode(String.valueOf(reply.code()))
                    .smtpDescription(reply.text())
                    .build();
            }
            changes.addAll(reply.headerChanges());
            subject = reply.subject().isPresent() ? reply.subject() : subject;
        }
        return apply(mail, changes, subject);
    }

    private HookResult apply(Mail mail, List<HeaderChange> changes, Optional<String> subject) {
        if (changes.isEmpty() && subject.isEmpty()) {
            return HookResult.DECLINED;
        }
        try {
            MimeMessage message = mail.getMessage();
            for (HeaderChange change : changes) {
                if (change.value().isPresent()) {
                    message.addHeader(change.name(), change.value().get());
                } else {
                    message.removeHeader(change.name());
                }
            }
            if (subject.isPresent()) {
                message.setSubject(subject.get(), "UTF-8");
            }
            message.saveChanges();
            return HookResult.DECLINED;
        } catch (MessagingException e) {
            // The verdict accepted the message; a header we could not add is not worth a retry.
            LOGGER.warn("could not add the content scanners' headers to {}", mail.getName(), e);
            return HookResult.DECLINED;
        }
    }

    private static void log(Envelope envelope, ConfiguredScanner scanner, ScanOutcome outcome, ContentReply reply) {
        if (outcome.kind() == ScanOutcome.Kind.FAILED && reply.accepted()) {
            LOGGER.warn("content {} from {} <{}> to {}: {} {}, accepted unscanned (on-failure=accept)", envelope.queueId(),
                envelope.clientAddress(), envelope.mailFrom(), envelope.recipients(), scanner.scanner().name(), outcome);
            return;
        }
        LOGGER.info("content {} from {} <{}> to {}: {} {} -> {}", envelope.queueId(), envelope.clientAddress(),
            envelope.mailFrom(), envelope.recipients(), scanner.scanner().name(), outcome, reply);
    }

    private static Envelope envelope(SMTPSession session, Mail mail) {
        return new Envelope(session.getRemoteAddress().getAddress().getHostAddress(),
            session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse(""),
            mail.getMaybeSender().asString(""),
            mail.getRecipients().stream().map(MailAddress::asString).collect(Collectors.toList()),
            Optional.ofNullable(session.getUsername()).map(Username::asString), mail.getName());
    }
}
