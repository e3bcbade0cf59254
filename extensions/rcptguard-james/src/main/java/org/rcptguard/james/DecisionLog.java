package org.rcptguard.james;

import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.smtp.SMTPSession;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Decision;
import org.rcptguard.core.LogText;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.james.inline.RelayOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per RCPT decision, on the logger {@value #LOGGER_NAME}, as {@code key=value} pairs in a fixed order:
 *
 * <pre>
 * node=mx1 mode=enforce client=192.0.2.7 network=192.0.2.0/24 session=SMTP-1a2b sender=&lt;a@sender.example&gt;
 *     recipient=&lt;alice@example.com&gt; class=VALID outcome=DEFER reason=GREYLISTED
 * </pre>
 *
 * <p>A client that proved a domain (docs/identity.md; README, "Big senders") gets {@code identity=spf:example.com}
 * after its network: its triplet is keyed by it. {@code class} is {@code -} when the reply did not wait for a
 * look-up of the recipient (trusted client, domain not governed, triplet not passed, penalised network). A deferral
 * of a network without reputation while the recipient's domain is under harvest ends with {@code harvest=DOMAIN}: its
 * threshold and delay were the harvest's. An unknown recipient that imposes or raises a penalty gets its own line,
 * {@code stage=scan penalised=UNIT ... penalty=LEVEL/UNTIL}, when it is found: at RCPT, or later when the look-up ran
 * in the background. {@code UNIT} is the client network or the identity it proved ({@code spf:example.com}), as
 * WebAdmin's {@code /rcptguard/penalties} names it; a penalty on each gets a line each. In observe mode
 * ({@code mode=observe}) the outcome is what RcptGuard would have done; James decided as if it were absent.
 * With {@code decision.log.hash.addresses=true}, client addresses, senders and recipients are keyed hashes (see
 * {@link AddressHasher}); the network and the domains stay readable. A transaction refused after DATA (reject mode
 * {@code data}) gets one line with {@code stage=data}. A transaction relayed in-line gets one line with
 * {@code stage=inline backend=HOST:PORT recipients=N outcome=OUTCOME step=STEP reply="..."}, naming what the client
 * heard; a recipient its backend refused although the directory had it valid gets its own line, {@code outcome=STALE}.
 *
 * <p>The SMTP thread builds a line and queues it; {@link DecisionLogWriter} hands it to the logger about
 * {@link DecisionLogWriter#INTERVAL} later, so logback's timestamp is when it was written, and the line carries no MDC.
 */
public class DecisionLog {
    public static final String LOGGER_NAME = "org.rcptguard.decisions";
    private static final Logger LOGGER = LoggerFactory.getLogger(LOGGER_NAME);
    private static final AttachmentKey<String> PREFIX = AttachmentKey.of("rcptguard.decision.log.prefix", String.class);
    /** Room for a typical line, so that building one copies nothing. */
    private static final int LINE_CAPACITY = 320;

    private final RcptGuardConfiguration configuration;
    private final String node;
    private final Optional<AddressHasher> hasher;
    private final Consumer<String> writer;

    /** @param writer where a line goes once built: {@link DecisionLogWriter#write}, or {@link #writeNow} */
    public DecisionLog(RcptGuardConfiguration configuration, RcptGuardNode node, Consumer<String> writer) {
        this.configuration = configuration;
        this.node = node.name();
        this.hasher = configuration.hashAddresses() ? Optional.of(new AddressHasher(configuration.hashSecret()))
            : Optional.empty();
        this.writer = writer;
    }

    /** Writes a line to the decision log's logger at once, on the calling thread. */
    static void writeNow(String line) {
        LOGGER.info(line);
    }

    void log(SMTPSession session, RcptRequest request, Decision decision) {
        if (LOGGER.isInfoEnabled()) {
            writer.accept(lineAfter(connectionPrefix(session), request, decision));
        }
    }

    String line(String sessionId, RcptRequest request, Decision decision) {
        return lineAfter(prefix(request.clientAddress(), sessionId), request, decision);
    }

    private String lineAfter(String prefix, RcptRequest request, Decision decision) {
        StringBuilder line = startingWith(prefix);
        // Only a proven identity is named: for any other client the triplet is keyed by the network already shown.
        request.identity().ifPresent(identity -> line.append(" identity=").append(identity.key()));
        line.append(" sender=<").append(sender(request)).append('>')
            .append(" recipient=<").append(email(request.recipient())).append('>')
            .append(" class=").append(decision.recipientClass().map(Enum::name).orElse("-"))
            .append(" outcome=").append(decision.outcome())
            .append(" reason=").append(decision.reason());
        if (decision.isUnderHarvest()) {
            line.append(" harvest=").append(request.recipientDomain().asString());
        }
        return line.toString();
    }

    void logPenalty(RcptRequest request, ClientNetwork penalised, Penalty penalty) {
        if (LOGGER.isInfoEnabled()) {
            writer.accept(penaltyLine(request, penalised, penalty));
        }
    }

    String penaltyLine(RcptRequest request, ClientNetwork penalised, Penalty penalty) {
        // No session: the look-up may have run after the session ended.
        StringBuilder line = startingWith(prefix(request.clientAddress(), "-"));
        request.identity().ifPresent(identity -> line.append(" identity=").append(identity.key()));
        // What the penalty is on, as WebAdmin's /rcptguard/penalties names it: the network or the proven identity.
        return line.append(" stage=scan penalised=").append(penalised.asString())
            .append(" sender=<").append(sender(request)).append('>')
            .append(" recipient=<").append(email(request.recipient())).append('>')
            .append(" penalty=").append(penalty.level()).append('/').append(penalty.until()).toString();
    }

    private String sender(RcptRequest request) {
        return request.sender().asOptional().map(this::email).orElse("");
    }

    void logDataRejection(SMTPSession session, int recipients) {
        if (LOGGER.isInfoEnabled()) {
            writer.accept(startingWith(connectionPrefix(session))
                .append(" stage=data recipients=").append(recipients)
                .append(" outcome=REJECT_TRANSACTION reason=UNKNOWN_USER").toString());
        }
    }

    /** In-line delivery: what the backend said (or why it could not be asked) and what the client heard. */
    public void logInline(SMTPSession session, String backend, int recipients, RelayOutcome outcome, String reply) {
        if (!LOGGER.isInfoEnabled()) {
            return;
        }
        String prefix = connectionPrefix(session);
        StringBuilder line = startingWith(prefix)
            .append(" stage=inline backend=").append(backend)
            .append(" recipients=").append(recipients)
            .append(" outcome=").append(outcome.kind())
            .append(" step=").append(LogText.escape(outcome.detail()).replace(' ', '_'))
            .append(" reply=\"").append(LogText.escape(reply)).append('"');
        writer.accept(line.toString());
        for (MailAddress stale : outcome.staleRecipients()) {
            writer.accept(startingWith(prefix)
                .append(" stage=inline backend=").append(backend)
                .append(" recipient=<").append(email(stale)).append("> outcome=STALE").toString());
        }
    }

    /**
     * What every line of an SMTP connection starts with, built at its first line and kept in the session: the client
     * address, its network and its hash are the same for all of them.
     */
    private String connectionPrefix(SMTPSession session) {
        return session.getAttachment(PREFIX, ProtocolSession.State.Connection).orElseGet(() -> {
            String prefix = prefix(session.getRemoteAddress().getAddress(), session.getSessionID());
            session.setAttachment(PREFIX, prefix, ProtocolSession.State.Connection);
            return prefix;
        });
    }

    private static StringBuilder startingWith(String prefix) {
        return new StringBuilder(LINE_CAPACITY).append(prefix);
    }

    private String prefix(InetAddress clientAddress, String sessionId) {
        String client = clientAddress.getHostAddress();
        return "node=" + node
            + " mode=" + configuration.mode().settingValue()
            + " client=" + hasher.map(h -> h.hash(client)).orElse(client)
            + " network=" + configuration.clientNetworkOf(clientAddress).asString()
            + " session=" + sessionId;
    }

    private String email(MailAddress address) {
        return hasher.map(h -> h.hashEmail(address)).orElseGet(() -> LogText.escape(address.asString()));
    }
}
