package org.rcptguard.bench.smtp;

import java.util.List;
import java.util.Optional;

/**
 * The replies to one transaction: MAIL, one per RCPT (in order; fewer when the server closed the session midway),
 * and the reply to the message when one was sent.
 */
public final class TransactionOutcome {
    private final SmtpReply mail;
    private final List<SmtpReply> recipients;
    private final Optional<SmtpReply> message;
    private final boolean closed;

    public TransactionOutcome(SmtpReply mail, List<SmtpReply> recipients, Optional<SmtpReply> message) {
        this(mail, recipients, message, false);
    }

    private TransactionOutcome(SmtpReply mail, List<SmtpReply> recipients, Optional<SmtpReply> message, boolean closed) {
        this.mail = mail;
        this.recipients = List.copyOf(recipients);
        this.message = message;
        this.closed = closed;
    }

    /** The replies read before the server closed the session ({@code mail} null if it closed before answering MAIL). */
    static TransactionOutcome closed(SmtpReply mail, List<SmtpReply> recipients) {
        return new TransactionOutcome(mail, recipients, Optional.empty(), true);
    }

    /** Whether the server closed the session during this transaction (421 or end of stream). */
    public boolean closed() {
        return closed;
    }

    /** The reply to MAIL; empty if the server closed the session before answering it. */
    public Optional<SmtpReply> mail() {
        return Optional.ofNullable(mail);
    }

    public List<SmtpReply> recipients() {
        return recipients;
    }

    /** The reply after the message's final dot; empty when no message was sent (DATA not sent or refused). */
    public Optional<SmtpReply> message() {
        return message;
    }

    public boolean messageAccepted() {
        return message.map(reply -> reply.code() == 250).orElse(false);
    }

}
