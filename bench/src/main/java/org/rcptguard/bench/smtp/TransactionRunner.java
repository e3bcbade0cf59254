package org.rcptguard.bench.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one transaction on a connection. With PIPELINING, MAIL, every RCPT and (when a message is to be sent) DATA go
 * out in one write and the latency of each RCPT reply counts from that write, so it includes the server's work on
 * the commands before it in the batch, as the client sees it. Without PIPELINING, lock-step, each RCPT timed alone.
 * A transaction ends with the message (when a recipient was accepted and {@code sendMessage}) or with RSET. A server
 * that closes the session midway (421, or end of stream, as Postfix does after too many errors) ends the
 * transaction with the replies read so far.
 */
public final class TransactionRunner {
    /** Where the RCPT reply latencies go. */
    public interface LatencySink {
        LatencySink NONE = nanos -> { };

        void record(long nanos);
    }

    private static final String MESSAGE_BODY = "Subject: RcptGuard benchmark\r\n\r\nA short message of the load.\r\n.";

    private TransactionRunner() {
    }

    public static TransactionOutcome run(SmtpConnection connection, Transaction transaction, boolean sendMessage,
                                         LatencySink latencies) throws IOException {
        return connection.pipelining()
            ? pipelined(connection, transaction, sendMessage, latencies)
            : lockStep(connection, transaction, sendMessage, latencies);
    }

    private static TransactionOutcome pipelined(SmtpConnection connection, Transaction transaction, boolean sendMessage,
                                                LatencySink latencies) throws IOException {
        List<String> batch = new ArrayList<>(transaction.recipients().size() + 2);
        batch.add("MAIL FROM:<" + transaction.sender() + ">");
        transaction.recipients().forEach(recipient -> batch.add("RCPT TO:<" + recipient + ">"));
        if (sendMessage) {
            batch.add("DATA");
        }
        long start = System.nanoTime();
        connection.send(batch);
        Optional<SmtpReply> mail = readUnlessClosed(connection);
        List<SmtpReply> replies = new ArrayList<>(transaction.recipients().size());
        for (int i = 0; mail.isPresent() && i < transaction.recipients().size(); i++) {
            Optional<SmtpReply> reply = readUnlessClosed(connection);
            if (reply.isEmpty()) {
                return TransactionOutcome.closed(mail.get(), replies);
            }
            replies.add(reply.get());
            latencies.record(System.nanoTime() - start);
        }
        if (mail.isEmpty()) {
            return TransactionOutcome.closed(null, replies);
        }
        if (sendMessage) {
            Optional<SmtpReply> data = readUnlessClosed(connection);
            if (data.isEmpty()) {
                return TransactionOutcome.closed(mail.get(), replies);
            }
            if (data.get().code() == 354) {
                return new TransactionOutcome(mail.get(), replies, Optional.of(sendBody(connection, transaction)));
            }
        }
        reset(connection);
        return new TransactionOutcome(mail.get(), replies, Optional.empty());
    }

    private static TransactionOutcome lockStep(SmtpConnection connection, Transaction transaction, boolean sendMessage,
                                               LatencySink latencies) throws IOException {
        connection.send("MAIL FROM:<" + transaction.sender() + ">");
        Optional<SmtpReply> mail = readUnlessClosed(connection);
        List<SmtpReply> replies = new ArrayList<>(transaction.recipients().size());
        if (mail.isEmpty()) {
            return TransactionOutcome.closed(null, replies);
        }
        for (String recipient : transaction.recipients()) {
            long start = System.nanoTime();
            connection.send("RCPT TO:<" + recipient + ">");
            Optional<SmtpReply> reply = readUnlessClosed(connection);
            if (reply.isEmpty()) {
                return TransactionOutcome.closed(mail.get(), replies);
            }
            replies.add(reply.get());
            latencies.record(System.nanoTime() - start);
        }
        if (sendMessage && replies.stream().anyMatch(reply -> reply.code() / 100 == 2)) {
            connection.send("DATA");
            if (connection.readReply().code() == 354) {
                return new TransactionOutcome(mail.get(), replies, Optional.of(sendBody(connection, transaction)));
            }
        }
        reset(connection);
        return new TransactionOutcome(mail.get(), replies, Optional.empty());
    }

    /** The next reply, or empty when the server closes the session: a 421, or the end of the stream. */
    private static Optional<SmtpReply> readUnlessClosed(SmtpConnection connection) {
        try {
            SmtpReply reply = connection.readReply();
            return reply.code() == 421 ? Optional.empty() : Optional.of(reply);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static SmtpReply sendBody(SmtpConnection connection, Transaction transaction) throws IOException {
        connection.send("From: <" + transaction.sender() + ">\r\nTo: <" + transaction.recipients().get(0) + ">\r\n"
            + MESSAGE_BODY);
        return connection.readReply();
    }

    private static void reset(SmtpConnection connection) throws IOException {
        connection.send("RSET");
        connection.readReply();
    }
}
