package org.rcptguard.bench.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one transaction on a connection. With PIPELINING, MAIL, every RCPT and (when a message is to be sent) DATA go
 * out in one write and the latency of each RCPT reply counts from that write, so it includes the server's work on
 * the commands before it in the batch, as the client sees it. Without PIPELINING, lock-step, each RCPT timed alone.
 * A transaction ends with the message (when a recipient was accepted and {@code sendMessage}) or with RSET.
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
        SmtpReply mail = connection.readReply();
        List<SmtpReply> replies = new ArrayList<>(transaction.recipients().size());
        for (int i = 0; i < transaction.recipients().size(); i++) {
            replies.add(connection.readReply());
            latencies.record(System.nanoTime() - start);
        }
        if (sendMessage) {
            SmtpReply data = connection.readReply();
            if (data.code() == 354) {
                return new TransactionOutcome(mail, replies, Optional.of(sendBody(connection, transaction)));
            }
        }
        reset(connection);
        return new TransactionOutcome(mail, replies, Optional.empty());
    }

    private static TransactionOutcome lockStep(SmtpConnection connection, Transaction transaction, boolean sendMessage,
                                               LatencySink latencies) throws IOException {
        connection.send("MAIL FROM:<" + transaction.sender() + ">");
        SmtpReply mail = connection.readReply();
        List<SmtpReply> replies = new ArrayList<>(transaction.recipients().size());
        for (String recipient : transaction.recipients()) {
            long start = System.nanoTime();
            connection.send("RCPT TO:<" + recipient + ">");
            replies.add(connection.readReply());
            latencies.record(System.nanoTime() - start);
        }
        if (sendMessage && replies.stream().anyMatch(reply -> reply.code() / 100 == 2)) {
            connection.send("DATA");
            if (connection.readReply().code() == 354) {
                return new TransactionOutcome(mail, replies, Optional.of(sendBody(connection, transaction)));
            }
        }
        reset(connection);
        return new TransactionOutcome(mail, replies, Optional.empty());
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
