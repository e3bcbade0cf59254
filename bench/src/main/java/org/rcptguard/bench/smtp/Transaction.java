package org.rcptguard.bench.smtp;

import java.util.List;

/** One mail transaction of the load: the client's source address, the envelope sender and recipients. */
public final class Transaction {
    private final String clientAddress;
    private final String sender;
    private final List<String> recipients;

    public Transaction(String clientAddress, String sender, List<String> recipients) {
        this.clientAddress = clientAddress;
        this.sender = sender;
        this.recipients = List.copyOf(recipients);
    }

    public String clientAddress() {
        return clientAddress;
    }

    public String sender() {
        return sender;
    }

    public List<String> recipients() {
        return recipients;
    }
}
