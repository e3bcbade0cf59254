package org.rcptguard.bench.smtp;

import java.util.List;
import java.util.Optional;

/** The replies to one transaction: MAIL, one per RCPT (in order), and the reply to the message when one was sent. */
public final class TransactionOutcome {
    private final SmtpReply mail;
    private final List<SmtpReply> recipients;
    private final Optional<SmtpReply> message;

    public TransactionOutcome(SmtpReply mail, List<SmtpReply> recipients, Optional<SmtpReply> message) {
        this.mail = mail;
        this.recipients = List.copyOf(recipients);
        this.message = message;
    }

    public SmtpReply mail() {
        return mail;
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

    public boolean allRecipientsAccepted() {
        return recipients.stream().allMatch(reply -> reply.code() / 100 == 2);
    }
}
