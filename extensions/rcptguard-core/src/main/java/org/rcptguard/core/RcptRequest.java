package org.rcptguard.core;

import java.net.InetAddress;
import java.util.Objects;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;

/** One RCPT TO as RcptGuard sees it. */
public final class RcptRequest {
    private final InetAddress clientAddress;
    private final boolean authenticated;
    private final boolean relayAllowed;
    private final MaybeSender sender;
    private final MailAddress recipient;

    /** @param sender the envelope sender, {@link MaybeSender#nullSender()} for {@code MAIL FROM:<>} */
    public RcptRequest(InetAddress clientAddress, boolean authenticated, boolean relayAllowed, MaybeSender sender,
                       MailAddress recipient) {
        this.clientAddress = Objects.requireNonNull(clientAddress);
        this.authenticated = authenticated;
        this.relayAllowed = relayAllowed;
        this.sender = Objects.requireNonNull(sender);
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

    public MaybeSender sender() {
        return sender;
    }

    public MailAddress recipient() {
        return recipient;
    }

    /** The recipient as keyed in the store: lower case. */
    public String recipientKey() {
        return Addresses.key(recipient);
    }

    public Domain recipientDomain() {
        return recipient.getDomain();
    }
}
