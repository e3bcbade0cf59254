package org.rcptguard.core.content;

import java.util.List;
import java.util.Optional;

/** What the SMTP session knows about a message, passed to the scanners (rspamd's IP, Helo, From, Rcpt, User, Queue-Id). */
public final class Envelope {
    private final String clientAddress;
    private final String helo;
    private final String mailFrom;
    private final List<String> recipients;
    private final Optional<String> authenticatedUser;
    private final String queueId;

    public Envelope(String clientAddress, String helo, String mailFrom, List<String> recipients,
                    Optional<String> authenticatedUser, String queueId) {
        this.clientAddress = clientAddress;
        this.helo = helo;
        this.mailFrom = mailFrom;
        this.recipients = List.copyOf(recipients);
        this.authenticatedUser = authenticatedUser;
        this.queueId = queueId;
    }

    public String clientAddress() {
        return clientAddress;
    }

    public String helo() {
        return helo;
    }

    /** Empty for the null sender. */
    public String mailFrom() {
        return mailFrom;
    }

    public List<String> recipients() {
        return recipients;
    }

    public Optional<String> authenticatedUser() {
        return authenticatedUser;
    }

    public String queueId() {
        return queueId;
    }
}
