package org.rcptguard.core;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/** One RCPT TO as RcptGuard sees it. */
public final class RcptRequest {
    private final InetAddress clientAddress;
    private final boolean authenticated;
    private final boolean relayAllowed;
    private final String sender;
    private final String recipient;

    /**
     * @param sender the envelope sender as given, {@code <>} or empty for the null sender
     * @param recipient the recipient address {@code local@domain}
     */
    public RcptRequest(InetAddress clientAddress, boolean authenticated, boolean relayAllowed, String sender, String recipient) {
        this.clientAddress = Objects.requireNonNull(clientAddress);
        this.authenticated = authenticated;
        this.relayAllowed = relayAllowed;
        this.sender = sender == null ? "" : sender;
        this.recipient = Objects.requireNonNull(recipient);
    }

    public InetAddress clientAddress() {
        return clientAddress;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public boolean relayAllowed() {
        return relayAllowed;
    }

    public String sender() {
        return sender;
    }

    public String recipient() {
        return recipient;
    }

    /** The recipient as keyed in the store: lower case. */
    public String recipientKey() {
        return recipient.toLowerCase(Locale.ROOT);
    }

    public String recipientDomain() {
        return recipientKey().substring(recipientKey().lastIndexOf('@') + 1);
    }
}
